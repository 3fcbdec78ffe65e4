/**
 * Azure OpenAI's classic deployments endpoint,
 * `https://<resource>.openai.azure.com/openai/deployments/<deployment>?api-version=2024-10-21`:
 * the OpenAI client would put `/chat/completions` after the query, and sends a key as a bearer
 * token, which that endpoint refuses (it wants `api-key`). So the query is kept apart and put back
 * on every request, and a key goes in `api-key`. Azure's v1 endpoint (`…/openai/v1/`) speaks
 * OpenAI's protocol as it is and needs none of this.
 */
type Fetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

export interface Address {
  /** The base URL without its query. */
  baseURL: string;
  /** Puts the query and the key header on each request; absent when the URL needs neither. */
  transport?: Fetch;
}

const isDeployments = (url: URL) => /\/openai\/deployments\/[^/]+\/?$/.test(url.pathname);

export function addressOf(baseUrl: string, apiKey: string | null | undefined): Address {
  const url = new URL(baseUrl);
  const query = [...url.searchParams];
  const keyHeader = isDeployments(url) && apiKey ? apiKey : undefined;
  if (query.length === 0 && !keyHeader) return { baseURL: baseUrl };
  url.search = '';
  const transport: Fetch = (input, init) => {
    const target = new URL(input instanceof Request ? input.url : input);
    for (const [name, value] of query) target.searchParams.set(name, value);
    const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
    if (keyHeader) {
      headers.delete('authorization');
      headers.set('api-key', keyHeader);
    }
    return fetch(target, { ...init, headers });
  };
  return { baseURL: url.toString(), transport };
}

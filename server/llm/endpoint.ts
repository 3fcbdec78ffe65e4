/**
 * Where the chat model lives and how to authenticate to it, per `config.llm.provider`. Every
 * provider speaks OpenAI chat completions; they differ only in base URL, model and credentials:
 * - demo (default): the offline demo model this server itself serves at /demo-llm/v1;
 * - openai: any OpenAI-compatible server (OpenAI, Ollama, vLLM, llama.cpp) with an optional key;
 * - azure-ad: an endpoint secured by Azure AD, with a client-credentials bearer token per request.
 */
import type { Config } from '../config.ts';
import { ClientCredentialsTokens } from './client-credentials.ts';
import { DEMO_MODEL_ID, DEMO_PATH } from './demo/demo-endpoint.ts';
import { defaultRetryPolicy, retryingFetch, type RetryPolicy } from './retrying-fetch.ts';
import { silenceLimitedFetch } from './silence-limit.ts';

export interface LlmEndpoint {
  provider: Config['llm']['provider'];
  baseURL: string;
  model: string;
  /** A fixed key, or a function the client calls for every request (fresh bearer tokens). */
  apiKey: string | (() => Promise<string>);
  fetch: (input: string | URL | Request, init?: RequestInit) => Promise<Response>;
}

export interface EndpointOptions {
  retry?: Partial<RetryPolicy>;
}

/** Servers such as Ollama need no key, but the OpenAI client insists on one. */
const NO_KEY = 'not-needed';
const DEFAULT_MODEL = 'gpt-4.1';

/** `origin` is called now: call this once the server is listening (the demo model is served by it). */
export function resolveLlmEndpoint(
  config: Pick<Config, 'llm' | 'auth'>,
  origin: () => string,
  options: EndpointOptions = {},
): LlmEndpoint {
  // Each attempt is bounded by the silence limit; a silent model is not retried (retrying-fetch.ts).
  const fetch = retryingFetch({ ...defaultRetryPolicy, ...options.retry }, silenceLimitedFetch(config.llm.timeoutMs));
  const { llm, auth } = config;
  switch (llm.provider) {
    case 'demo':
      return { provider: 'demo', baseURL: `${origin()}${DEMO_PATH}`, model: DEMO_MODEL_ID, apiKey: NO_KEY, fetch };
    case 'openai':
      return { provider: 'openai', baseURL: required(llm.baseUrl, 'LLM_BASE_URL'), model: llm.model ?? DEFAULT_MODEL, apiKey: llm.apiKey ?? NO_KEY, fetch };
    case 'azure-ad': {
      const tokens = new ClientCredentialsTokens({
        authority: required(auth.authority, 'ENTRA_TENANT_ID or OIDC_AUTHORITY'),
        clientId: required(auth.clientId, 'OIDC_CLIENT_ID'),
        clientSecret: required(auth.clientSecret, 'OIDC_CLIENT_SECRET'),
        scope: required(llm.tokenScope, 'LLM_TOKEN_SCOPE'),
      });
      return {
        provider: 'azure-ad',
        baseURL: required(llm.baseUrl, 'LLM_BASE_URL'),
        model: llm.model ?? DEFAULT_MODEL,
        apiKey: () => tokens.token(),
        fetch,
      };
    }
  }
}

function required(value: string | undefined, setting: string): string {
  if (!value) throw new Error(`LLM_PROVIDER needs ${setting} to be set`);
  return value;
}

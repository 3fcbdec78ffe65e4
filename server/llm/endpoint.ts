/**
 * Where the chat model lives and how to authenticate to it, per `config.llm.provider`. Every
 * provider speaks OpenAI chat completions; they differ only in base URL, model and credentials:
 * - demo (default): the offline demo model, answered inside this process (demo/demo-fetch.ts);
 * - openai: any OpenAI-compatible server (OpenAI, Ollama, vLLM, llama.cpp, Azure OpenAI's v1 and
 *   classic deployments endpoints: azure-deployments.ts) with an optional key;
 * - azure-ad: an endpoint secured by Azure AD, with a client-credentials bearer token per request.
 */
import type { Config } from '../config.ts';
import { addressOf } from './azure-deployments.ts';
import { ClientCredentialsTokens } from './client-credentials.ts';
import { DEMO_BASE_URL, DEMO_MODEL_ID, demoFetch } from './demo/demo-fetch.ts';
import { defaultRetryPolicy, retryingFetch, type RetryPolicy } from './retrying-fetch.ts';
import { silenceLimitedFetch } from './silence-limit.ts';

export interface LlmEndpoint {
  provider: Config['llm']['provider'];
  baseURL: string;
  model: string;
  /** A fixed key, or a function the client calls for every request (fresh bearer tokens). */
  apiKey: string | (() => Promise<string>);
  fetch: (input: string | URL | Request, init?: RequestInit) => Promise<Response>;
  /** The model takes image input (LLM_ACCEPTS_IMAGES); unset: it does not. */
  acceptsImages?: boolean;
}

export interface EndpointOptions {
  retry?: Partial<RetryPolicy>;
}

/** Servers such as Ollama need no key, but the OpenAI client insists on one. */
const NO_KEY = 'not-needed';
export const DEFAULT_MODEL = 'gpt-4.1';

/** Where one model lives and how it is reached: the LLM_* settings, or a catalogue entry (server/models/). */
export interface ModelSettings {
  provider: Config['llm']['provider'];
  baseUrl: string | null | undefined;
  model: string | null | undefined;
  apiKey: string | null | undefined;
  tokenScope: string | null | undefined;
  acceptsImages: boolean;
}

export function resolveLlmEndpoint(config: Pick<Config, 'llm' | 'auth'>, options: EndpointOptions = {}): LlmEndpoint {
  return endpointFor(config.llm, config, options);
}

/** `config` gives the silence limit and, for azure-ad, the sign-in app whose client credentials get the token. */
export function endpointFor(llm: ModelSettings, config: Pick<Config, 'llm' | 'auth'>, options: EndpointOptions = {}): LlmEndpoint {
  // Each attempt is bounded by the silence limit; a silent model is not retried (retrying-fetch.ts).
  const guarded = (transport?: LlmEndpoint['fetch']) =>
    retryingFetch({ ...defaultRetryPolicy, ...options.retry }, silenceLimitedFetch(config.llm.timeoutMs, transport));
  const { auth } = config;
  const { acceptsImages } = llm;
  switch (llm.provider) {
    case 'demo':
      // Wrapped like a real model's transport, so its replies take the very path theirs do.
      return { provider: 'demo', baseURL: DEMO_BASE_URL, model: DEMO_MODEL_ID, apiKey: NO_KEY, fetch: guarded(demoFetch), acceptsImages };
    case 'openai': {
      const { baseURL, transport } = addressOf(required(llm.baseUrl, 'LLM_BASE_URL'), llm.apiKey);
      return {
        provider: 'openai',
        baseURL,
        model: llm.model ?? DEFAULT_MODEL,
        apiKey: llm.apiKey ?? NO_KEY,
        fetch: guarded(transport),
        acceptsImages,
      };
    }
    case 'azure-ad': {
      // Bearer tokens, which both Azure endpoints take: only the classic one's query needs keeping apart.
      const { baseURL, transport } = addressOf(required(llm.baseUrl, 'LLM_BASE_URL'), null);
      const tokens = new ClientCredentialsTokens({
        authority: required(auth.authority, 'ENTRA_TENANT_ID or OIDC_AUTHORITY'),
        clientId: required(auth.clientId, 'OIDC_CLIENT_ID'),
        clientSecret: required(auth.clientSecret, 'OIDC_CLIENT_SECRET'),
        scope: required(llm.tokenScope, 'LLM_TOKEN_SCOPE'),
      });
      return {
        provider: 'azure-ad',
        baseURL,
        model: llm.model ?? DEFAULT_MODEL,
        apiKey: () => tokens.token(),
        fetch: guarded(transport),
        acceptsImages,
      };
    }
  }
}

function required(value: string | null | undefined, setting: string): string {
  if (!value) throw new Error(`LLM_PROVIDER needs ${setting} to be set`);
  return value;
}

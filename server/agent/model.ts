/**
 * The chat model, for every provider: LangChain's OpenAI chat-completions model pointed at the
 * configured endpoint.
 *
 * ChatOpenAICompletions, not ChatOpenAI: ChatOpenAI switches to the Responses API for some
 * model names (`gpt-5.6`, `codex`, `-pro`) even with `useResponsesApi: false`, which breaks every
 * chat-completions-only server (Ollama, vLLM, llama.cpp, the demo model, most gateways). This
 * class is the chat-completions half of ChatOpenAI, so the API choice is explicit and fixed.
 * `streaming` stays unset: the graph's nodes call `stream` themselves, and plain invokes never reach for tiktoken.
 */
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import type { ModelProfile } from '@langchain/core/language_models/profile';
import { ChatOpenAICompletions } from '@langchain/openai';
import type { LlmEndpoint } from '../llm/endpoint.ts';
import type { Logger } from '../log.ts';

/**
 * Whether the model takes images is the operator's word (LLM_ACCEPTS_IMAGES), in LangChain's own
 * place for it (`profile.imageInputs`, which the llm node reads): LangChain's table knows only
 * OpenAI's model names, not a deployment's or a local model's.
 */
class ConfiguredChatModel extends ChatOpenAICompletions {
  constructor(
    private readonly acceptsImages: boolean,
    fields: ConstructorParameters<typeof ChatOpenAICompletions>[0],
  ) {
    super(fields);
  }

  override get profile(): ModelProfile {
    return { ...super.profile, imageInputs: this.acceptsImages };
  }
}

/** `maxTokens` caps every reply (servers' sampling requests); without it the endpoint decides. */
export function createChatModel(endpoint: LlmEndpoint, log: Logger, options: { maxTokens?: number } = {}): BaseChatModel {
  // The OpenAI SDK writes its own complaints (a malformed stream, a bad setting) with console.error
  // unless given a logger: into the server's JSON log lines instead. The run's failure is logged
  // with its context where it is handled; these are details for whoever reads the log.
  const detail =
    (level: 'warn' | 'debug') =>
    (...args: unknown[]) =>
      log[level]('model client', { detail: args.map(String) });
  return new ConfiguredChatModel(endpoint.acceptsImages === true, {
    model: endpoint.model,
    apiKey: endpoint.apiKey,
    configuration: {
      baseURL: endpoint.baseURL,
      fetch: endpoint.fetch,
      logger: { error: detail('warn'), warn: detail('warn'), info: detail('debug'), debug: detail('debug') },
    },
    // Retries live in one layer, endpoint.fetch (429 and 5xx, with backoff); LangChain's would
    // stack on top of it and give up early on a 429 without Retry-After.
    maxRetries: 0,
    ...(options.maxTokens === undefined ? {} : { maxTokens: options.maxTokens }),
  });
}

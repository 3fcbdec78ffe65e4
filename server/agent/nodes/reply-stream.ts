/**
 * A node's call to the model: streamed, each piece of text handed to the run's sink as it
 * arrives, and the pieces joined into the whole reply (content, tool calls, invalid tool calls,
 * usage and response metadata) as the model's own invoke joins them when it streams.
 */
import type { BaseLanguageModelInput } from '@langchain/core/language_models/base';
import type { AIMessageChunk } from '@langchain/core/messages';
import { ensureConfig, type Runnable, RunnableBinding } from '@langchain/core/runnables';
import { inModelSpan, type ModelCallSpan } from '../../telemetry/model-span.ts';
import { runSignal, sinkOf, type NodeConfig } from './runtime.ts';

export async function streamReply(
  model: Runnable<BaseLanguageModelInput, AIMessageChunk>,
  input: BaseLanguageModelInput,
  messageId: string,
  config: NodeConfig,
): Promise<AIMessageChunk> {
  return inModelSpan(requestedModel(model), async (span) => {
    const reply = await streamed(model, input, messageId, config, span);
    const usage = reply.usage_metadata;
    const answeredBy = reply.response_metadata?.model_name;
    span.answered({
      model: typeof answeredBy === 'string' ? answeredBy : undefined,
      inputTokens: usage?.input_tokens,
      outputTokens: usage?.output_tokens,
    });
    return reply;
  });
}

async function streamed(
  model: Runnable<BaseLanguageModelInput, AIMessageChunk>,
  input: BaseLanguageModelInput,
  messageId: string,
  config: NodeConfig,
  span: ModelCallSpan,
): Promise<AIMessageChunk> {
  const sink = sinkOf(config);
  let reply: AIMessageChunk | undefined;
  // The generator `stream()` wraps, with the config `stream()` gives it. The wrapper re-enters the
  // run's context and races the abort signal for every chunk, then pipes the chunks through a
  // ReadableStream: about a tenth of the server's CPU per streamed token. Stop still ends the stream
  // at once: the signal aborts the model's HTTP request, which fails the read the stream waits on.
  for await (const chunk of model._streamIterator(input, { ...ensureConfig(config), signal: runSignal(config) })) {
    // Chat-completions text arrives as a string (LangChain's OpenAI model drops other content);
    // `chunk.text` would rebuild it from content blocks through the provider's translator, per chunk.
    const delta = typeof chunk.content === 'string' ? chunk.content : chunk.text;
    // The first piece of the reply, text or a tool call's.
    span.firstToken();
    if (delta) sink.token(messageId, delta);
    reply = reply ? reply.concat(chunk) : chunk;
  }
  if (!reply) throw new Error('The model sent an empty reply.');
  return reply;
}

/** The model name the client asks for (ChatOpenAI's `model`), through the binding that offers tools. */
function requestedModel(model: Runnable): string | undefined {
  const client = (RunnableBinding.isRunnableBinding(model) ? model.bound : model) as { model?: unknown };
  return typeof client.model === 'string' ? client.model : undefined;
}

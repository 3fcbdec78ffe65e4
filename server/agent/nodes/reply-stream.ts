/**
 * A node's call to the model: streamed, each piece of text handed to the run's sink as it
 * arrives, and the pieces joined into the whole reply (content, tool calls, invalid tool calls,
 * usage and response metadata) as the model's own invoke joins them when it streams.
 */
import type { BaseLanguageModelInput } from '@langchain/core/language_models/base';
import type { AIMessageChunk } from '@langchain/core/messages';
import type { Runnable } from '@langchain/core/runnables';
import { sinkOf, type NodeConfig } from './runtime.ts';

export async function streamReply(
  model: Runnable<BaseLanguageModelInput, AIMessageChunk>,
  input: BaseLanguageModelInput,
  messageId: string,
  config: NodeConfig,
): Promise<AIMessageChunk> {
  const sink = sinkOf(config);
  let reply: AIMessageChunk | undefined;
  for await (const chunk of await model.stream(input, config)) {
    const delta = chunk.text;
    if (delta) sink.token(messageId, delta);
    reply = reply ? reply.concat(chunk) : chunk;
  }
  if (!reply) throw new Error('The model sent an empty reply.');
  return reply;
}

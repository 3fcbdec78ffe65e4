/**
 * Answers in OpenAI's chat-completions wire format: `chat.completion.chunk` server-sent events
 * ending in `data: [DONE]` when the client asked to stream, one `chat.completion` otherwise. The one
 * writer of that format for every model this codebase answers for itself: the demo model
 * (demo/demo-fetch.ts), the tests' scripted endpoint and the bench's stand-in. They decide what to
 * say and when (pauses between tokens, holding a reply, a stream that breaks); this decides the bytes.
 */

export interface CompletionHead {
  id: string;
  model: string;
  /** Unix seconds; one value for the whole answer, as OpenAI sends it. Default: now. */
  created?: number;
}

export interface ToolCall {
  id: string;
  name: string;
  /** The arguments as JSON text. */
  arguments: string;
}

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

type FinishReason = 'stop' | 'tool_calls';

const encoder = new TextEncoder();
const DONE_EVENT = encoder.encode('data: [DONE]\n\n');
const SSE_HEADERS = { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' };

/** The events of one streamed answer, each built as one string and encoded once. */
export function chunkEvents(head: CompletionHead) {
  // Everything around the delta is the same in every event of an answer: built once, not per token.
  const opening = `data: {"id":${JSON.stringify(head.id)},"object":"chat.completion.chunk","created":${head.created ?? nowSeconds()},"model":${JSON.stringify(head.model)},"choices":[{"index":0,"delta":`;
  const event = (delta: string, finish: FinishReason | null = null) =>
    encoder.encode(`${opening}${delta},"finish_reason":${finish === null ? 'null' : `"${finish}"`}}]}\n\n`);
  return {
    /** The first event: the assistant's role, with '' before text, or null (or a preamble) before tool calls. */
    role: (content: string | null) => event(`{"role":"assistant","content":${JSON.stringify(content)}}`),
    content: (token: string) => event(`{"content":${JSON.stringify(token)}}`),
    /** A tool call's first event names it and may carry the start of its arguments. */
    toolCall: (index: number, call: ToolCall, fragment: string) =>
      event(JSON.stringify({ tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.name, arguments: fragment } }] })),
    toolArguments: (index: number, fragment: string) =>
      event(`{"tool_calls":[{"index":${index},"function":{"arguments":${JSON.stringify(fragment)}}}]}`),
    finish: (reason: FinishReason) => event('{}', reason),
    /** After the finish, when the client asked for it (`stream_options.include_usage`): the answer's tokens, with no choices. */
    usage: (usage: Usage) =>
      encoder.encode(
        `data: {"id":${JSON.stringify(head.id)},"object":"chat.completion.chunk","created":${head.created ?? nowSeconds()},"model":${JSON.stringify(head.model)},"choices":[],"usage":${JSON.stringify(usage)}}\n\n`,
      ),
  };
}

/** A streamed text answer; each token waits for `beforeToken` (a pause, a timestamp) first. */
export async function* textEvents(
  head: CompletionHead,
  tokens: Iterable<string>,
  beforeToken?: () => unknown,
  usage?: Usage,
): AsyncGenerator<Uint8Array> {
  const events = chunkEvents(head);
  yield events.role('');
  for (const token of tokens) {
    if (beforeToken) await beforeToken();
    yield events.content(token);
  }
  yield events.finish('stop');
  if (usage) yield events.usage(usage);
  yield DONE_EVENT;
}

/**
 * A streamed tool-call answer. `split` cuts each call's arguments into the fragments its events
 * carry; the first fragment goes with the call's name.
 */
export function* toolCallEvents(
  head: CompletionHead,
  calls: readonly ToolCall[],
  split: (args: string) => string[],
  content: string | null,
  usage?: Usage,
): Generator<Uint8Array> {
  const events = chunkEvents(head);
  yield events.role(content);
  for (const [index, call] of calls.entries()) {
    const [first = '', ...rest] = split(call.arguments);
    yield events.toolCall(index, call, first);
    for (const fragment of rest) yield events.toolArguments(index, fragment);
  }
  yield events.finish('tool_calls');
  if (usage) yield events.usage(usage);
  yield DONE_EVENT;
}

/**
 * Sends `events` as the producer yields them, at its pace, not the reader's. A reader that goes
 * away (the person pressed Stop, the connection closed) ends the producer at its next event, and
 * `onCancel` hears of it at once, even while the producer is still waiting.
 */
export function eventStreamResponse(events: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, onCancel?: () => void): Response {
  let cancelled = false;
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      for await (const event of events) {
        if (cancelled) return;
        controller.enqueue(event);
      }
      controller.close();
    },
    cancel() {
      cancelled = true;
      onCancel?.();
    },
  });
  return new Response(body, { headers: SSE_HEADERS });
}

/** The whole answer as one `chat.completion`, for a client that did not ask to stream. */
export function completionResponse(
  head: CompletionHead,
  message: { content: string | null; toolCalls?: readonly ToolCall[] },
  usage?: Usage,
): Response {
  const toolCalls = message.toolCalls?.map((call) => ({
    id: call.id,
    type: 'function',
    function: { name: call.name, arguments: call.arguments },
  }));
  return Response.json({
    id: head.id,
    object: 'chat.completion',
    created: head.created ?? nowSeconds(),
    model: head.model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: message.content, tool_calls: toolCalls },
        finish_reason: toolCalls ? 'tool_calls' : 'stop',
      },
    ],
    usage,
  });
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

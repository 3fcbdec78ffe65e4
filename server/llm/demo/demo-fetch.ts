/**
 * The demo model's side of the OpenAI chat-completions protocol, answered inside this process: the
 * model client's `fetch` when the provider is `demo` (llm/endpoint.ts). No HTTP route serves it,
 * so nothing but this server's own model client can reach it, and with another provider it does
 * not exist. The answers are still the real wire format (SSE `chat.completion.chunk`s when asked
 * to stream, one `chat.completion` otherwise), so the client code real models use runs unchanged.
 */
import {
  completionResponse,
  eventStreamResponse,
  textEvents,
  toolCallEvents,
  type CompletionHead,
  type ToolCall,
} from '../completion-writer.ts';
import { demoReply, type DemoReply, type WireMessage, type WireTool } from './demo-model.ts';

export const DEMO_MODEL_ID = 'countersign-demo';
/** Where the client believes the demo model is; `.invalid` never resolves, so no request can leave this process. */
export const DEMO_BASE_URL = 'http://countersign-demo.invalid/v1';
/** Pause before each streamed token, so the demo visibly streams. */
const TOKEN_DELAY_MS = 15;

interface CompletionRequest {
  messages?: WireMessage[];
  tools?: WireTool[];
  stream?: boolean;
}

export async function demoFetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
  const request = new Request(input, init);
  request.signal.throwIfAborted();
  if (request.method !== 'POST' || !new URL(request.url).pathname.endsWith('/chat/completions')) {
    return failure(404, `the demo model answers only POST ${DEMO_BASE_URL}/chat/completions`);
  }
  const body = (await request.json().catch(() => null)) as CompletionRequest | null;
  if (!body || !Array.isArray(body.messages)) return failure(400, 'expected a JSON body with a messages array');
  const reply = demoReply(body.messages, body.tools ?? []);
  const head = { id: `chatcmpl-demo-${crypto.randomUUID()}`, model: DEMO_MODEL_ID };
  return body.stream ? streamed(head, reply) : completed(head, reply);
}

function failure(status: number, message: string): Response {
  return Response.json({ error: { message, type: 'invalid_request_error' } }, { status });
}

function toolCallOf(reply: Extract<DemoReply, { kind: 'tool_call' }>): ToolCall {
  return { id: `call_demo_${crypto.randomUUID().slice(0, 8)}`, name: reply.name, arguments: JSON.stringify(reply.arguments) };
}

function completed(head: CompletionHead, reply: DemoReply): Response {
  return reply.kind === 'text'
    ? completionResponse(head, { content: reply.text })
    : completionResponse(head, { content: null, toolCalls: [toolCallOf(reply)] });
}

/**
 * Text word by word, a pause before each; a tool call's arguments split in two. A reader that stops
 * (the person pressed Stop) stops the stream.
 */
function streamed(head: CompletionHead, reply: DemoReply): Response {
  if (reply.kind === 'text') return eventStreamResponse(textEvents(head, reply.text.split(/(?<=\s)/), () => Bun.sleep(TOKEN_DELAY_MS)));
  return eventStreamResponse(toolCallEvents(head, [toolCallOf(reply)], halves, ''));
}

function halves(args: string): string[] {
  const half = Math.ceil(args.length / 2);
  return [args.slice(0, half), args.slice(half)];
}

/**
 * The demo model's side of the OpenAI chat-completions protocol, answered inside this process: the
 * model client's `fetch` when the provider is `demo` (llm/endpoint.ts). No HTTP route serves it,
 * so nothing but this server's own model client can reach it, and with another provider it does
 * not exist. The answers are still the real wire format (SSE `chat.completion.chunk`s when asked
 * to stream, one `chat.completion` otherwise), so the client code real models use runs unchanged.
 */
import { demoReply, type DemoReply, type WireMessage, type WireTool } from './demo-model.ts';

export const DEMO_MODEL_ID = 'countersign-demo';
/** Where the client believes the demo model is; `.invalid` never resolves, so no request can leave this process. */
export const DEMO_BASE_URL = 'http://countersign-demo.invalid/v1';
/** Pause between streamed tokens, so the demo visibly streams. */
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
  const id = `chatcmpl-demo-${crypto.randomUUID()}`;
  return body.stream ? streamed(id, reply) : Response.json(completion(id, reply));
}

function failure(status: number, message: string): Response {
  return Response.json({ error: { message, type: 'invalid_request_error' } }, { status });
}

function toolCallOf(reply: Extract<DemoReply, { kind: 'tool_call' }>) {
  return { id: `call_demo_${crypto.randomUUID().slice(0, 8)}`, type: 'function' as const, function: { name: reply.name, arguments: JSON.stringify(reply.arguments) } };
}

function completion(id: string, reply: DemoReply) {
  const message = reply.kind === 'text' ? { role: 'assistant', content: reply.text } : { role: 'assistant', content: null, tool_calls: [toolCallOf(reply)] };
  return {
    id,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: DEMO_MODEL_ID,
    choices: [{ index: 0, message, finish_reason: reply.kind === 'text' ? 'stop' : 'tool_calls' }],
  };
}

/** The reply as server-sent events: text token by token, a tool call's arguments split in two. */
function events(id: string, reply: DemoReply): string[] {
  const chunk = (delta: Record<string, unknown>, finish: string | null = null) =>
    `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: Math.floor(Date.now() / 1000), model: DEMO_MODEL_ID, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
  const deltas: Record<string, unknown>[] = [{ role: 'assistant', content: '' }];
  if (reply.kind === 'text') {
    for (const token of reply.text.split(/(?<=\s)/)) deltas.push({ content: token });
  } else {
    const call = toolCallOf(reply);
    const args = call.function.arguments;
    const half = Math.ceil(args.length / 2);
    deltas.push({ tool_calls: [{ index: 0, id: call.id, type: 'function', function: { name: call.function.name, arguments: args.slice(0, half) } }] });
    deltas.push({ tool_calls: [{ index: 0, function: { arguments: args.slice(half) } }] });
  }
  return [...deltas.map((delta) => chunk(delta)), chunk({}, reply.kind === 'text' ? 'stop' : 'tool_calls'), 'data: [DONE]\n\n'];
}

function streamed(id: string, reply: DemoReply): Response {
  const encoder = new TextEncoder();
  const pending = events(id, reply);
  let next = 0;
  let cancelled = false;
  // Pulled one event at a time, so a reader that stops (the person pressed Stop) stops the stream.
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (next > 0 && reply.kind === 'text') await Bun.sleep(TOKEN_DELAY_MS);
      if (cancelled) return;
      controller.enqueue(encoder.encode(pending[next++]!));
      if (next === pending.length) controller.close();
    },
    cancel() {
      cancelled = true;
    },
  });
  return new Response(body, { headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' } });
}

/**
 * The demo model's OpenAI-compatible endpoint, served by Countersign itself so the product works
 * with no LLM configured: POST /demo-llm/v1/chat/completions, streamed token by token as SSE
 * `chat.completion.chunk`s when asked to stream, one `chat.completion` otherwise.
 */
import { Elysia } from 'elysia';
import { demoReply, type DemoReply, type WireMessage, type WireTool } from './demo-model.ts';

export const DEMO_PATH = '/demo-llm/v1';
export const DEMO_MODEL_ID = 'countersign-demo';

export interface DemoLlmOptions {
  /** Pause between streamed tokens, so the demo visibly streams. */
  tokenDelayMs?: number;
}

interface CompletionRequest {
  messages?: WireMessage[];
  tools?: WireTool[];
  stream?: boolean;
}

export function demoLlmRoutes(options: DemoLlmOptions = {}) {
  const tokenDelayMs = options.tokenDelayMs ?? 15;
  return (
    new Elysia({ name: 'demo-llm' })
      .get(`${DEMO_PATH}/models`, () => ({
        object: 'list',
        data: [{ id: DEMO_MODEL_ID, object: 'model', created: 0, owned_by: 'countersign (offline demo model)' }],
      }))
      // Only `request` is destructured, so Elysia leaves the body for us to read.
      .post(`${DEMO_PATH}/chat/completions`, async ({ request }) => {
        const body = (await request.json().catch(() => null)) as CompletionRequest | null;
        if (!body || !Array.isArray(body.messages)) {
          return Response.json(
            { error: { message: 'expected a JSON body with a messages array', type: 'invalid_request_error' } },
            { status: 400 },
          );
        }
        const reply = demoReply(body.messages, body.tools ?? []);
        const id = `chatcmpl-demo-${crypto.randomUUID()}`;
        return body.stream ? streamed(id, reply, tokenDelayMs) : Response.json(completion(id, reply));
      })
  );
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

function streamed(id: string, reply: DemoReply, tokenDelayMs: number): Response {
  const encoder = new TextEncoder();
  const chunk = (delta: Record<string, unknown>, finish: string | null = null) =>
    encoder.encode(
      `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: Math.floor(Date.now() / 1000), model: DEMO_MODEL_ID, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`,
    );
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      controller.enqueue(chunk({ role: 'assistant', content: '' }));
      if (reply.kind === 'text') {
        for (const token of reply.text.split(/(?<=\s)/)) {
          controller.enqueue(chunk({ content: token }));
          if (tokenDelayMs > 0) await Bun.sleep(tokenDelayMs);
        }
      } else {
        const call = toolCallOf(reply);
        const args = call.function.arguments;
        const half = Math.ceil(args.length / 2);
        controller.enqueue(chunk({ tool_calls: [{ index: 0, id: call.id, type: 'function', function: { name: call.function.name, arguments: args.slice(0, half) } }] }));
        controller.enqueue(chunk({ tool_calls: [{ index: 0, function: { arguments: args.slice(half) } }] }));
      }
      controller.enqueue(chunk({}, reply.kind === 'text' ? 'stop' : 'tool_calls'));
      controller.enqueue(encoder.encode('data: [DONE]\n\n'));
      controller.close();
    },
  });
  return new Response(body, { headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' } });
}

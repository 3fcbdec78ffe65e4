/**
 * One limit on request bodies for every route, enforced before a body is read: a declared
 * Content-Length over the limit is refused at once (Bun does not buffer a body nobody reads), and
 * a chunked body is read no further than the limit. Bun's own `maxRequestBodySize` would refuse
 * first, but with an empty 413 that tells a person nothing, so the server lifts Bun's cap
 * (`BUN_BODY_CAP`) and this guard answers instead, with a sentence naming the setting.
 */

/** For Bun.serve: the guard below is the limit; Bun's cap must never answer before it. */
export const BUN_BODY_CAP = Number.POSITIVE_INFINITY;

type Handle = (request: Request) => unknown;

/** A request that may be larger than the limit (a file's upload), with the sentence its refusal says instead. */
export interface BodyAllowance {
  maxBytes: number;
  message: string;
}

/**
 * An Elysia `wrap` (it runs before routing, for every route) that applies the limit. `answer`
 * words the refusal for routes whose clients read errors in a shape of their own (tRPC's);
 * other routes get `{ error: { message } }`. `allowanceFor` names the requests with a limit of their own.
 */
export function limitRequestBodies(
  maxBytes: number,
  answer: (request: Request, message: string) => Response | undefined,
  allowanceFor: (request: Request) => BodyAllowance | undefined = () => undefined,
) {
  const standard = { maxBytes, message: `Request bodies are limited to ${formatBytes(maxBytes)} (MAX_REQUEST_BODY_BYTES); send less.` };
  const tooLarge = (request: Request, message: string) => {
    const response = answer(request, message) ?? Response.json({ error: { message } }, { status: 413 });
    // The rest of the body is never read, so the connection cannot carry another request.
    response.headers.set('connection', 'close');
    return response;
  };
  return (handle: Handle) => (request: Request) => {
    const { maxBytes, message } = allowanceFor(request) ?? standard;
    const declared = request.headers.get('content-length');
    if (declared !== null) return Number(declared) > maxBytes ? tooLarge(request, message) : handle(request);
    if (!request.body) return handle(request);
    return readAtMost(request.body, maxBytes).then((body) => (body ? handle(new Request(request, { body })) : tooLarge(request, message)));
  };
}

/** The whole body, or undefined as soon as it grows past `maxBytes` (the rest is left unread). */
async function readAtMost(body: ReadableStream<Uint8Array>, maxBytes: number): Promise<Buffer<ArrayBuffer> | undefined> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.byteLength;
    if (size > maxBytes) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function formatBytes(bytes: number): string {
  if (bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes.toLocaleString('en-US')} bytes`;
}

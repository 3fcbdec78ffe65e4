/** One streamed answer read straight from the stand-in, without the server: the baseline the stack's latency is measured against. */
import { since } from './stats.ts';

/** Times to the first and last token of one streamed answer, ms from sending the request. */
export async function directAnswer(baseURL: string, text: string, timeoutMs: number): Promise<{ first: number; last: number }> {
  const start = performance.now();
  const response = await fetch(`${baseURL}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'bench-model', stream: true, messages: [{ role: 'user', content: text }] }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  let first = Number.NaN;
  let last = Number.NaN;
  let buffered = '';
  const decoder = new TextDecoder();
  for await (const bytes of response.body!) {
    buffered += decoder.decode(bytes, { stream: true });
    const events = buffered.split('\n\n');
    buffered = events.pop() ?? '';
    for (const event of events) {
      if (!event.includes('"content":"w')) continue;
      last = since(start);
      if (Number.isNaN(first)) first = last;
    }
  }
  return { first, last };
}

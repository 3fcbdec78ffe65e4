/**
 * The one writer of OpenAI chat-completions answers (server/llm/completion-writer.ts), read the
 * way an OpenAI client reads them: events split on blank lines, JSON after `data: `, deltas merged.
 * Its events are assembled as strings for speed, so these check that any text survives the trip.
 */
import { describe, expect, test } from 'bun:test';
import { chunkEvents, completionResponse, eventStreamResponse, textEvents, toolCallEvents } from '../../server/llm/completion-writer.ts';
import { eventually } from '../support/eventually.ts';

const head = { id: 'chatcmpl-"quoted"', model: 'model\\name', created: 1_700_000_000 };

interface Chunk {
  id: string;
  object: string;
  created: number;
  model: string;
  choices: {
    index: number;
    delta: {
      role?: string;
      content?: string | null;
      tool_calls?: { index: number; id?: string; function: { name?: string; arguments: string } }[];
    };
    finish_reason: string | null;
  }[];
}

/** The stream's events; the last must be `[DONE]`, every other one a chunk of this answer. */
async function chunksOf(response: Response): Promise<Chunk[]> {
  expect(response.headers.get('content-type')).toBe('text/event-stream');
  const events = (await response.text()).split('\n\n');
  expect(events.pop()).toBe('');
  expect(events.pop()).toBe('data: [DONE]');
  const chunks = events.map((event) => JSON.parse(event.slice('data: '.length)) as Chunk);
  for (const chunk of chunks) {
    expect(chunk).toMatchObject({ id: head.id, object: 'chat.completion.chunk', created: head.created, model: head.model });
  }
  return chunks;
}

describe('streamed answers', () => {
  test('text arrives exactly as written, whatever characters it holds', async () => {
    const tokens = ['Say "hi"', ' \\ back', 'slash\n', 'ünï 🙂 ', '\u2028</script>', '', '\t{"json":1}'];
    const chunks = await chunksOf(eventStreamResponse(textEvents(head, tokens)));
    expect(chunks[0]!.choices[0]!.delta).toEqual({ role: 'assistant', content: '' });
    expect(chunks.map((c) => c.choices[0]!.delta.content ?? '').join('')).toBe(tokens.join(''));
    expect(chunks.map((c) => c.choices[0]!.finish_reason)).toEqual([...tokens.map(() => null), null, 'stop']);
  });

  test('each tool call is named once and its arguments rebuild from the fragments', async () => {
    const calls = [
      { id: 'call_1', name: 'notes__add', arguments: JSON.stringify({ text: 'a "quoted" note\n' }) },
      { id: 'call_2', name: 'math__calculate', arguments: '{"expression":"2+3"}' },
    ];
    const thirds = (args: string) => [args.slice(0, 5), args.slice(5, 12), args.slice(12)];
    const chunks = await chunksOf(eventStreamResponse(toolCallEvents(head, calls, thirds, 'Let me check.')));
    expect(chunks[0]!.choices[0]!.delta).toEqual({ role: 'assistant', content: 'Let me check.' });
    const pieces = chunks.flatMap((c) => c.choices[0]!.delta.tool_calls ?? []);
    const rebuilt = calls.map((_, index) => {
      const own = pieces.filter((piece) => piece.index === index);
      return { id: own[0]!.id, name: own[0]!.function.name, arguments: own.map((piece) => piece.function.arguments).join('') };
    });
    expect(rebuilt).toEqual(calls);
    expect(pieces.filter((piece) => piece.function.name !== undefined)).toHaveLength(calls.length);
    expect(chunks.at(-1)!.choices[0]!.finish_reason).toBe('tool_calls');
  });

  test('a reader that goes away ends the producer, and whoever asked hears of it at once', async () => {
    const gate = Promise.withResolvers<void>();
    let produced = 0;
    let ended = false;
    async function* producer() {
      try {
        yield chunkEvents(head).role('');
        await gate.promise;
        for (;;) yield chunkEvents(head).content(`token ${++produced}`);
      } finally {
        ended = true;
      }
    }
    let heard = false;
    const reader = eventStreamResponse(producer(), () => (heard = true)).body!.getReader();
    await reader.read();
    await reader.cancel();
    expect(heard).toBe(true);
    gate.resolve();
    await eventually(() => ended, 'the producer to end');
    expect(produced).toBeLessThanOrEqual(1);
  });
});

describe('non-streamed answers', () => {
  test('text is one chat.completion, with usage when given', async () => {
    const usage = { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 };
    expect(await completionResponse(head, { content: 'Hello "you"' }, usage).json()).toEqual({
      ...head,
      object: 'chat.completion',
      choices: [{ index: 0, message: { role: 'assistant', content: 'Hello "you"' }, finish_reason: 'stop' }],
      usage,
    });
  });

  test('tool calls are one chat.completion that finishes for them', async () => {
    const call = { id: 'call_1', name: 'math__calculate', arguments: '{"expression":"2+3"}' };
    expect(await completionResponse(head, { content: null, toolCalls: [call] }).json()).toEqual({
      ...head,
      object: 'chat.completion',
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: null,
            tool_calls: [{ id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments } }],
          },
          finish_reason: 'tool_calls',
        },
      ],
    });
  });
});

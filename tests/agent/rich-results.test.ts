/**
 * A tool result with an image and structured content: the finished card carries them, in the
 * event and in the history read back from the checkpoint, with a line for what it left out; the
 * model still reads the tool's text only, never the image's base64.
 */
import { afterEach, beforeEach, expect, test } from 'bun:test';
import { type OpenAIFixture, startOpenAIFixture } from '../fixtures/openai-fixture.ts';
import { type AgentHarness, collector, createChat, createHarness, getTimeTool, USER_ID } from './support.ts';

let fixture: OpenAIFixture;
let h: AgentHarness;

beforeEach(() => {
  fixture = startOpenAIFixture();
  h = createHarness({ baseURL: fixture.baseURL });
});

afterEach(async () => {
  await fixture.stop();
  h.db.close();
});

/** A 1×1 PNG. */
const PIXEL = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

test('the card of a result with an image and structured content carries both, in the event and in the history', async () => {
  const text = 'The clock face:\n[image image/png]\n[image image/png]';
  h.tools.on('clock__get_time', () => ({
    ok: true,
    content: [
      { type: 'text', text: 'The clock face:' },
      { type: 'image', mimeType: 'image/png', data: PIXEL },
      { type: 'image', mimeType: 'image/png', data: Buffer.alloc(2 * 1024 * 1024).toString('base64') },
    ],
    structuredContent: { time: '12:00', timezone: 'Europe/Oslo' },
    text,
  }));
  h.manager.get(USER_ID).setTools([getTimeTool()]);
  fixture.script(
    { kind: 'tool_calls', calls: [{ name: 'clock__get_time', arguments: { timezone: 'Europe/Oslo' } }] },
    { kind: 'text', text: 'It is noon.' },
  );
  const { threadId } = createChat(h.db);
  const run = collector();

  expect(await h.manager.get(USER_ID).send(threadId, 'What time is it?', run)).toEqual({ status: 'idle' });

  const expected = {
    status: 'succeeded',
    result: `${text}\nan image of 2 MB was not shown: larger than 256 KB`,
    media: [{ kind: 'image', mimeType: 'image/png', data: PIXEL }],
    structured: { time: '12:00', timezone: 'Europe/Oslo' },
  };
  const [finished] = run.ofType('tool_finished');
  expect(finished!.card).toMatchObject(expected);
  const history = await h.history(threadId);
  const assistant = history.messages.find((m) => m.role === 'assistant' && m.toolCalls.length > 0);
  expect(assistant?.role === 'assistant' && assistant.toolCalls[0]).toMatchObject(expected);
  // The model's tool message is the tool's text, as before: no base64, no note about the card.
  const toolMessage = fixture.requests[1]!.body.messages.find((m) => m.role === 'tool');
  expect(toolMessage?.content).toBe(text);
});

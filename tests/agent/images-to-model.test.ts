/**
 * The images of tool results, shown to a model that takes images (LLM_ACCEPTS_IMAGES): after a
 * step's tool messages, one user message of data: URLs, each after a line naming its call; only
 * images the model has not answered yet, at most six, the newest; and nothing of the kind when the
 * model does not take images, or for the demo model's rules, which read past them.
 */
import { afterEach, beforeEach, describe, expect, test } from 'bun:test';
import { loadConfig } from '../../server/config.ts';
import { resolveLlmEndpoint } from '../../server/llm/endpoint.ts';
import type { ToolCallResult } from '../../server/agent/tool-port.ts';
import { type ChatRequestBody, type OpenAIFixture, startOpenAIFixture } from '../fixtures/openai-fixture.ts';
import { type AgentHarness, collector, createChat, createHarness, getTimeTool, testRetryingFetch, USER_ID } from './support.ts';

/** A 1×1 PNG. */
const PIXEL = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

/** Base64 data a card keeps as an image (the card checks type, size and encoding, not pixels): one per name. */
const image = (name: string) => Buffer.from(`image ${name}`).toString('base64');

function withImages(...data: string[]): ToolCallResult {
  return {
    ok: true,
    content: [{ type: 'text', text: 'The clock face:' }, ...data.map((d) => ({ type: 'image', mimeType: 'image/png', data: d }))],
    text: ['The clock face:', ...data.map(() => '[image image/png]')].join('\n'),
  };
}

type Part = { type: string; text?: string; image_url?: { url: string } };
type WireMessage = ChatRequestBody['messages'][number];

const imageUrls = (message: WireMessage | undefined) =>
  Array.isArray(message?.content) ? (message.content as Part[]).flatMap((p) => (p.image_url ? [p.image_url.url] : [])) : [];
const allImageUrls = (body: ChatRequestBody) => body.messages.flatMap(imageUrls);

let fixture: OpenAIFixture;
let h: AgentHarness;

function harness(acceptsImages: boolean): AgentHarness {
  const endpoint = { provider: 'openai' as const, baseURL: fixture.baseURL, model: 'test-model', apiKey: 'k', fetch: testRetryingFetch };
  const made = createHarness({ endpoint: { ...endpoint, acceptsImages } });
  made.manager.get(USER_ID).setTools([getTimeTool()]);
  return made;
}

beforeEach(() => {
  fixture = startOpenAIFixture();
});

afterEach(async () => {
  await fixture.stop();
  h.db.close();
});

const clockCall = (zone: string) => ({ name: 'clock__get_time', arguments: { timezone: zone } });

describe('a model that takes images', () => {
  beforeEach(() => {
    h = harness(true);
  });

  test('after a step’s tool messages it gets one user message: each image as a data: URL after a line naming its call', async () => {
    const byZone: Record<string, string> = { 'Europe/Oslo': PIXEL, 'Asia/Tokyo': image('tokyo') };
    h.tools.on('clock__get_time', (args) => withImages(byZone[args.timezone as string]!));
    fixture.script(
      { kind: 'tool_calls', calls: [clockCall('Europe/Oslo'), clockCall('Asia/Tokyo')] },
      { kind: 'text', text: 'Two clocks.' },
    );
    const { threadId } = createChat(h.db);
    const run = collector();

    expect(await h.manager.get(USER_ID).send(threadId, 'Show me two clocks', run)).toEqual({ status: 'idle' });

    const [oslo, tokyo] = run.ofType('tool_finished').map((e) => e.card);
    const { messages } = fixture.requests[1]!.body;
    const roles = messages.map((m) => m.role);
    expect(roles).toEqual(['system', 'user', 'assistant', 'tool', 'tool', 'user']);
    // The tool messages stay text, as chat-completions wants them.
    expect(messages.filter((m) => m.role === 'tool').map((m) => m.content)).toEqual([
      'The clock face:\n[image image/png]',
      'The clock face:\n[image image/png]',
    ]);
    const shown = messages.at(-1)!.content as Part[];
    expect(shown[0]).toEqual({ type: 'text', text: expect.stringContaining('not written by the person') });
    expect(shown.slice(1)).toEqual(
      [oslo!, tokyo!].flatMap((card) => [
        { type: 'text', text: `From tool call ${card.toolCallId} (clock__get_time):` },
        { type: 'image_url', image_url: { url: `data:image/png;base64,${byZone[card.arguments.timezone as string]}` } },
      ]),
    );
    expect(shown.filter((p) => p.image_url).map((p) => p.image_url!.url)).toContain(`data:image/png;base64,${PIXEL}`);

    // Shown, never stored: the history holds the person's message, the calls and the answer, nothing more.
    const history = await h.history(threadId);
    expect(history.messages.filter((m) => m.role === 'user').map((m) => m.text)).toEqual(['Show me two clocks']);
  });

  test('only images it has not answered: at most six, the newest, each after its own step', async () => {
    const steps = [['first'], ['a1', 'a2', 'a3'], ['b1', 'b2', 'b3'], ['c1', 'c2']];
    h.tools.on('clock__get_time', () => withImages(...steps.shift()!.map(image)));
    fixture.script(
      { kind: 'tool_calls', calls: [clockCall('Europe/Oslo')] },
      { kind: 'text', text: 'One clock.' },
      { kind: 'tool_calls', calls: [clockCall('Europe/Oslo')] },
      { kind: 'tool_calls', calls: [clockCall('Europe/Oslo')] },
      { kind: 'tool_calls', calls: [clockCall('Europe/Oslo')] },
      { kind: 'text', text: 'Three more.' },
    );
    const { threadId } = createChat(h.db);
    await h.manager.get(USER_ID).send(threadId, 'One clock', collector());
    await h.manager.get(USER_ID).send(threadId, 'Three more clocks', collector());

    const urls = (names: string[]) => names.map((name) => `data:image/png;base64,${image(name)}`);
    expect(allImageUrls(fixture.requests[1]!.body)).toEqual(urls(['first']));
    // The second turn starts after the model answered the first: that image is not sent again.
    expect(allImageUrls(fixture.requests[2]!.body)).toEqual([]);
    const last = fixture.requests[5]!.body.messages;
    expect(allImageUrls(fixture.requests[5]!.body)).toEqual(urls(['a3', 'b1', 'b2', 'b3', 'c1', 'c2']));
    // Each step's images follow that step's tool message.
    const afterTools = last.flatMap((m, i) => (m.role === 'tool' ? [imageUrls(last[i + 1])] : []));
    expect(afterTools).toEqual([[], urls(['a3']), urls(['b1', 'b2', 'b3']), urls(['c1', 'c2'])]);
  });
});

test('a model that does not take images gets the tool text only', async () => {
  h = harness(false);
  h.tools.on('clock__get_time', () => withImages(PIXEL));
  fixture.script({ kind: 'tool_calls', calls: [clockCall('Europe/Oslo')] }, { kind: 'text', text: 'It is noon.' });
  const { threadId } = createChat(h.db);

  await h.manager.get(USER_ID).send(threadId, 'What time is it?', collector());

  const { messages } = fixture.requests[1]!.body;
  expect(messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'tool']);
  expect(allImageUrls(fixture.requests[1]!.body)).toEqual([]);
});

test('the demo model, told it takes images, reads past them and sums up the tool’s result', async () => {
  const endpoint = resolveLlmEndpoint(loadConfig({ NODE_ENV: 'test', LLM_ACCEPTS_IMAGES: 'true' }));
  expect(endpoint.acceptsImages).toBe(true);
  h = createHarness({ endpoint });
  h.manager.get(USER_ID).setTools([getTimeTool()]);
  h.tools.on('clock__get_time', () => withImages(PIXEL));
  const { threadId } = createChat(h.db);
  const run = collector();

  expect(await h.manager.get(USER_ID).send(threadId, 'What time is it in Europe/Paris?', run)).toEqual({ status: 'idle' });

  expect(h.tools.callsOf('clock__get_time')).toHaveLength(1);
  const answer = run.ofType('assistant_message').at(-1)!.message.text;
  expect(answer).toContain('Here is what `get_time` returned');
  expect(answer).toContain('The clock face:');
});

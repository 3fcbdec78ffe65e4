/**
 * What the model is given of server-everything's rich results, through a whole server and the
 * typed client with the scripted OpenAI fixture as the model: the tiny image as an image_url part
 * when LLM_ACCEPTS_IMAGES is true (and not when it is false), and a linked resource's text read
 * through `everything__read_resource`, which runs without asking on this untrusted server.
 */
import { describe, expect, test } from 'bun:test';
import { EVERYTHING_SERVER_ID } from '../../server/mcp/catalogue-seed.ts';
import type { ToolCallCard } from '../../shared/chat-events.ts';
import { type FaultKit, finalState, follow, newChat, startFaultKit } from '../faults/support.ts';

/** A person with server-everything connected, whose own tools used here run without asking; a chat with it. */
async function everythingChat(env: Record<string, string>): Promise<FaultKit & { chatId: string }> {
  const kit = await startFaultKit(env);
  await kit.server.catalogue.update(EVERYTHING_SERVER_ID, { toolPolicies: { 'get-tiny-image': 'auto', 'get-resource-links': 'auto' } });
  await kit.person.client.api.servers.connect.mutate({ serverId: EVERYTHING_SERVER_ID });
  const chat = await newChat(kit.person, [EVERYTHING_SERVER_ID]);
  return Object.assign(kit, { chatId: chat.id });
}

/** Sends `text` and waits for the run to end; the finished tool cards, in order. */
async function turn(kit: FaultKit & { chatId: string }, text: string): Promise<ToolCallCard[]> {
  const { recorder, unsubscribe } = await follow(kit.person, kit.chatId);
  await kit.person.client.api.chats.send.mutate({ chatId: kit.chatId, text });
  expect(await finalState(recorder)).toEqual({ status: 'idle' });
  unsubscribe();
  return recorder.events.flatMap(({ data }) => (data.type === 'tool_finished' ? [data.card] : []));
}

type Part = { type: string; text?: string; image_url?: { url: string } };

for (const accepts of [true, false]) {
  describe(`LLM_ACCEPTS_IMAGES=${accepts}`, () => {
    test(accepts ? 'the request after the image result carries its data: URL' : 'no request carries an image', async () => {
      await using kit = await everythingChat({ LLM_ACCEPTS_IMAGES: String(accepts) });
      kit.model.script(
        { kind: 'tool_calls', calls: [{ name: 'everything__get-tiny-image', arguments: {} }] },
        { kind: 'text', text: 'A tiny image.' },
      );

      const [card] = await turn(kit, 'Show me the tiny image');

      const image = card!.media?.find((m) => m.kind === 'image');
      if (image?.kind !== 'image') throw new Error('the card has no image');
      expect(image.mimeType).toBe('image/png');
      expect(image.data).toStartWith('iVBORw0KGgo');
      const parts = kit.model.requests[1]!.body.messages.flatMap((m) => (Array.isArray(m.content) ? (m.content as Part[]) : []));
      const urls = parts.flatMap((p) => (p.image_url ? [p.image_url.url] : []));
      expect(urls).toEqual(accepts ? [`data:image/png;base64,${image.data}`] : []);
      if (accepts) expect(parts).toContainEqual({ type: 'text', text: `From tool call ${card!.toolCallId} (everything__get-tiny-image):` });
    });
  });
}

test('the model reads a linked resource through everything__read_resource, without anyone asked', async () => {
  await using kit = await everythingChat({});
  const uri = 'demo://resource/dynamic/text/2';
  kit.model.script(
    { kind: 'tool_calls', calls: [{ name: 'everything__get-resource-links', arguments: { count: 2 } }] },
    { kind: 'tool_calls', calls: [{ name: 'everything__read_resource', arguments: { uri } }] },
    { kind: 'text', text: 'Resource 2 says hello.' },
  );

  const [links, read] = await turn(kit, 'What does the second resource say?');

  expect(kit.model.requests[0]!.body.tools!.map((t) => t.function.name)).toContain('everything__read_resource');
  expect(links!.result).toContain(`[resource ${uri}]`);
  expect(read).toMatchObject({
    tool: { uniqueName: 'everything__read_resource', name: 'read_resource' },
    status: 'succeeded',
    decision: 'auto',
    reason: 'reads a resource through your own connection',
  });
  const toolMessages = kit.model.requests[2]!.body.messages.filter((m) => m.role === 'tool');
  expect(toolMessages.at(-1)!.content).toStartWith('Resource 2: This is a plaintext resource');
});

/**
 * Tools the model is not offered, named by it anyway (from an earlier turn, or made up): the call
 * does not run, and the person's card and the model's tool message both say why, once: held for
 * an administrator's review (changed or new), a call Countersign cannot make, a policy, a server
 * this chat does not use, or no such tool.
 */
import { afterEach, beforeEach, expect, test } from 'bun:test';
import type { AgentTool } from '../../server/agent/tool-port.ts';
import { type OpenAIFixture, startOpenAIFixture } from '../fixtures/openai-fixture.ts';
import { type AgentHarness, collector, createChat, createHarness, createNoteTool, getTimeTool, USER_ID } from './support.ts';

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

const notesTool = (name: string, extra: Partial<AgentTool> = {}): AgentTool => ({
  ...createNoteTool(),
  uniqueName: `notes__${name}`,
  name,
  title: name,
  ...extra,
});

/** Runs one turn in which the model calls each of `names`; returns the cards and the tool messages the model got back. */
async function callAnyway(names: string[], enabledServers?: string[]) {
  fixture.script(
    { kind: 'tool_calls', calls: names.map((name) => ({ name, arguments: {} })) },
    { kind: 'text', text: 'I could not run those.' },
  );
  const { threadId } = createChat(h.db, { enabledServers });
  const run = collector();
  await h.manager.get(USER_ID).send(threadId, 'go', run);
  const toolMessages = fixture.requests[1]!.body.messages.filter((m) => m.role === 'tool').map((m) => String(m.content));
  const cards = run.ofType('tool_finished').map((e) => e.card);
  return { offered: fixture.requests[0]!.body.tools?.map((t) => t.function.name) ?? [], toolMessages, cards };
}

test('held and task-only tools are not offered, and a call to one says what it waits for', async () => {
  h.manager
    .get(USER_ID)
    .setTools([
      createNoteTool(),
      { ...getTimeTool(), held: 'changed' },
      notesTool('archive', { held: 'new' }),
      notesTool('render', { unavailable: 'needs task-based calls, which Countersign does not support yet' }),
    ]);
  const { offered, toolMessages, cards } = await callAnyway(['clock__get_time', 'notes__archive', 'notes__render']);

  expect(offered).toEqual(['notes__create_note']);
  expect(h.tools.calls).toEqual([]);
  const reasons = [
    'waiting for an administrator to review a changed definition',
    'waiting for an administrator to review a new tool',
    'needs task-based calls, which Countersign does not support yet',
  ];
  expect(toolMessages).toEqual(reasons.map((reason) => `Not run: this tool is not available in this chat (${reason}).`));
  // The card names the tool and its server, as for any call, and carries the same reason.
  expect(cards.map((card) => [card.tool.serverName, card.tool.name, card.status, card.decision, card.reason])).toEqual([
    ['clock', 'get_time', 'denied', 'denied', reasons[0]],
    ['notes', 'archive', 'denied', 'denied', reasons[1]],
    ['notes', 'render', 'denied', 'denied', reasons[2]],
  ]);
  expect(cards.map((card) => card.result)).toEqual(toolMessages);
});

test('a denied tool, a server the chat does not use, and an unknown name each say why', async () => {
  h.db.sqlite.run(`UPDATE mcp_servers SET tool_policies = '{"create_note":"deny"}' WHERE id = 'srv-notes'`);
  h.manager.get(USER_ID).setTools([createNoteTool(), getTimeTool()]);
  const { offered, toolMessages, cards } = await callAnyway(['notes__create_note', 'clock__get_time', 'mail__send'], ['srv-notes']);

  expect(offered).toEqual([]);
  expect(h.tools.calls).toEqual([]);
  expect(toolMessages).toEqual([
    'Not run: this tool is not available in this chat (policy: deny).',
    'Not run: this tool is not available in this chat (clock is not enabled in this chat).',
    'Not run: this tool is not available in this chat (no connected server offers a tool by this name).',
  ]);
  expect(cards.map((card) => [card.tool.serverName, card.status, card.reason])).toEqual([
    ['notes', 'denied', 'policy: deny'],
    // Its server is not among this chat's (it may even be gone from the catalogue), so neither card nor audit log names it.
    ['(none)', 'denied', 'clock is not enabled in this chat'],
    ['(none)', 'denied', 'no connected server offers a tool by this name'],
  ]);
});

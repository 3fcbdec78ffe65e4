/**
 * Tools that declare `execution.taskSupport: "required"` (MCP 2025-11-25 tasks) fail every plain
 * call, and Countersign makes no task-augmented calls yet: they are listed with the reason, and a
 * call to one is answered with it, never sent. Optional or absent task support: called as usual.
 */
import { expect, test } from 'bun:test';
import { startMutableServer, tool } from './fixtures/mutable-server.ts';
import { createUser, mcpKit } from './support.ts';

const NEEDS_TASKS = 'needs task-based calls, which Countersign does not support yet';

test('a task-required tool is listed with why it cannot be used, and a call to it never reaches the server', async () => {
  await using kit = mcpKit();
  await using server = startMutableServer([
    tool('render', 'renders for an hour', { execution: { taskSupport: 'required' } }),
    tool('resize', 'runs as a task when asked to', { execution: { taskSupport: 'optional' } }),
    tool('crop'),
  ]);
  const { id } = await kit.catalogue.create({ name: 'Studio', transport: 'streamable-http', url: server.url });
  const handler = kit.manager.forUser(await createUser(kit.db, 'pat'));
  await handler.connect(id);

  const { tools } = await handler.listTools();
  expect(tools.map((t) => [t.name, t.unavailable])).toEqual([
    ['render', NEEDS_TASKS],
    ['resize', undefined],
    ['crop', undefined],
  ]);

  expect(await handler.callTool('studio__render', { value: 'x' })).toEqual({
    ok: false,
    kind: 'unavailable',
    message: `render on Studio ${NEEDS_TASKS}`,
  });
  expect(await handler.callTool('studio__resize', { value: 'x' })).toMatchObject({ ok: true });
  expect(await handler.callTool('studio__crop', { value: 'x' })).toMatchObject({ ok: true });
  expect(server.calls.map((call) => call.name)).toEqual(['resize', 'crop']);
});

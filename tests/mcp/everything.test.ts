/**
 * The MCP layer against a real third-party server, the MCP project's server-everything, over
 * stdio, Streamable HTTP and (by fallback) legacy HTTP+SSE: listing, calls with progress and
 * structured content, cancellation, and a server killed in the middle of a call.
 */
import { afterAll, describe, expect, test } from 'bun:test';
import type { MCPHandler } from '../../server/mcp/mcp-handler.ts';
import { eventually } from '../support/eventually.ts';
import { createUser, everythingScript, killChildren, mcpKit, startEverything } from './support.ts';

const kit = mcpKit();
afterAll(async () => {
  await kit[Symbol.asyncDispose]();
  killChildren();
});

const everythingTools = ['echo', 'get-sum', 'get-structured-content', 'trigger-long-running-operation', 'get-tiny-image'];

async function connectedUser(
  name: string,
  entry: Parameters<typeof kit.catalogue.create>[0],
): Promise<{ handler: MCPHandler; serverId: string }> {
  const { id: serverId } = await kit.catalogue.create(entry);
  const handler = kit.manager.forUser(await createUser(kit.db, name));
  const started = performance.now();
  const state = await handler.connect(serverId);
  console.log(`connect + listTools, ${entry.transport} (${entry.name}): ${(performance.now() - started).toFixed(0)} ms`);
  expect(state).toMatchObject({ status: 'connected', protocolVersion: '2025-11-25' });
  return { handler, serverId };
}

/** Starts a 20-step operation; `started` resolves once the server reports its first step (or the call ends first). */
function longOperation(handler: MCPHandler, uniqueName: string, options: { signal?: AbortSignal; timeoutMs?: number } = {}) {
  const started = Promise.withResolvers<void>();
  const outcome = handler.callTool(uniqueName, { duration: 20, steps: 20 }, { ...options, onProgress: () => started.resolve() });
  void outcome.then(
    () => started.resolve(),
    () => started.resolve(),
  );
  return { outcome, started: started.promise };
}

describe('server-everything over stdio', async () => {
  const { handler, serverId } = await connectedUser('stdio-user', {
    name: 'Everything stdio',
    transport: 'stdio',
    command: process.execPath,
    args: [everythingScript, 'stdio'],
  });

  test('lists every tool, with unique names and hints', async () => {
    const { tools, servers } = await handler.listTools();
    expect(servers).toEqual([{ serverId, serverName: 'Everything stdio', status: 'connected', protocolVersion: '2025-11-25' }]);
    expect(tools.length).toBeGreaterThanOrEqual(10);
    expect(tools.map((t) => t.name)).toEqual(expect.arrayContaining(everythingTools));
    const echo = tools.find((t) => t.name === 'echo')!;
    expect(echo).toMatchObject({ uniqueName: 'everything-stdio__echo', serverName: 'Everything stdio', inputSchema: { type: 'object' } });
    expect(echo.held).toBeUndefined();
    for (const t of tools) expect(t.uniqueName).toMatch(/^[a-zA-Z0-9_-]{1,64}$/);
  });

  test('calls tools: text, structured content, progress', async () => {
    expect(await handler.callTool('everything-stdio__get-sum', { a: 2, b: 40 })).toMatchObject({
      ok: true,
      text: expect.stringContaining('42'),
    });
    const weather = await handler.callTool('everything-stdio__get-structured-content', { location: 'Chicago' });
    expect(weather).toMatchObject({ ok: true, structuredContent: { temperature: expect.any(Number), conditions: expect.any(String) } });
    const progress: number[] = [];
    const long = await handler.callTool(
      'everything-stdio__trigger-long-running-operation',
      { duration: 0.4, steps: 4 },
      {
        onProgress: (p) => progress.push(p.progress),
      },
    );
    expect(long.ok).toBe(true);
    expect(progress.length).toBeGreaterThanOrEqual(3);
  });

  test('a call cancelled while it runs ends cancelled, not finished, and the connection stays usable', async () => {
    const controller = new AbortController();
    const call = longOperation(handler, 'everything-stdio__trigger-long-running-operation', { signal: controller.signal });
    await call.started;
    controller.abort();
    // Had the cancellation waited for the 20-step operation, the call would have ended ok instead.
    expect(await call.outcome).toMatchObject({ ok: false, kind: 'cancelled' });
    expect(await handler.callTool('everything-stdio__echo', { message: 'still here' })).toMatchObject({
      ok: true,
      text: 'Echo: still here',
    });
  });

  test('a server killed mid-call gives a clear error, leaves other servers alone, and comes back on a later use', async () => {
    const http = await startEverything('streamableHttp');
    const { id: otherId } = await kit.catalogue.create({ name: 'Everything side', transport: 'streamable-http', url: http.url });
    await handler.connect(otherId);

    const pid = handler.processId(serverId)!;
    expect(pid).toBeNumber();
    const call = longOperation(handler, 'everything-stdio__trigger-long-running-operation');
    await call.started;
    process.kill(pid, 'SIGKILL');
    const outcome = await call.outcome;
    expect(outcome).toMatchObject({ ok: false, kind: 'unavailable', message: expect.stringContaining('Everything stdio') });

    // The other server is untouched, and the listing says which one is down and why.
    expect(await handler.callTool('everything-side__echo', { message: 'fine' })).toMatchObject({ ok: true });
    const { servers } = await handler.listTools();
    expect(servers.find((s) => s.serverId === serverId)).toMatchObject({
      status: 'unavailable',
      error: expect.stringContaining('Everything stdio'),
    });

    const again = await eventually(async () => {
      const result = await handler.callTool('everything-stdio__echo', { message: 'back' });
      return result.ok ? result : undefined;
    }, 'the stdio server to be restarted');
    expect(again.text).toBe('Echo: back');
    expect(handler.processId(serverId)).not.toBe(pid);
    await handler.disconnect(otherId);
    await http.kill();
  }, 60_000);
});

describe('server-everything over Streamable HTTP', async () => {
  const http = await startEverything('streamableHttp');
  const { handler, serverId } = await connectedUser('http-user', { name: 'Everything HTTP', transport: 'streamable-http', url: http.url });

  test('lists and calls tools, with progress over SSE', async () => {
    const { tools } = await handler.listTools();
    expect(tools.map((t) => t.name)).toEqual(expect.arrayContaining(everythingTools));
    const weather = await handler.callTool('everything-http__get-structured-content', { location: 'Los Angeles' });
    expect(weather).toMatchObject({ ok: true, structuredContent: { humidity: expect.any(Number) } });
    const progress: number[] = [];
    const long = await handler.callTool(
      'everything-http__trigger-long-running-operation',
      { duration: 0.3, steps: 3 },
      {
        onProgress: (p) => progress.push(p.progress),
      },
    );
    expect(long.ok).toBe(true);
    expect(progress).toEqual([1, 2, 3]);
  });

  test('a server killed mid-call gives a clear error; after it restarts, a later use reconnects', async () => {
    const call = longOperation(handler, 'everything-http__trigger-long-running-operation', { timeoutMs: 5_000 });
    await call.started;
    await http.kill();
    const outcome = await call.outcome;
    expect(outcome).toMatchObject({ ok: false, kind: 'unavailable' });

    const restarted = await startEverything('streamableHttp', http.port);
    const again = await eventually(async () => {
      const result = await handler.callTool('everything-http__echo', { message: 'back' });
      return result.ok ? result : undefined;
    }, 'the HTTP server to be reachable again');
    expect(again.text).toBe('Echo: back');
    expect((await handler.listTools()).servers).toEqual([expect.objectContaining({ serverId, status: 'connected' })]);
    await restarted.kill();
  }, 60_000);
});

describe('server-everything over legacy HTTP+SSE', () => {
  test('a Streamable HTTP entry falls back to HTTP+SSE when the server answers the POST with 404', async () => {
    const sse = await startEverything('sse');
    const { handler } = await connectedUser('sse-user', { name: 'Everything SSE', transport: 'streamable-http', url: sse.url });
    const { tools } = await handler.listTools();
    expect(tools.map((t) => t.name)).toContain('echo');
    expect(await handler.callTool('everything-sse__echo', { message: 'old school' })).toMatchObject({ ok: true, text: 'Echo: old school' });
    await sse.kill();
  }, 60_000);
});

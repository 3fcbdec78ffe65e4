/**
 * Whose failure a failed call is, in both protocol eras: an error the server sent back (a
 * JSON-RPC error response) is the server's; what the SDK raised here (an answer that breaks the
 * tool's own output schema, an output schema it cannot compile, so the call is never sent) is
 * Countersign's, and says so. A real SDK server on loopback, reached through the real MCPHandler.
 */
import { describe, expect, test } from 'bun:test';
import { createMcpHandler, isLegacyRequest, ProtocolError, ProtocolErrorCode, Server, type Tool } from '@modelcontextprotocol/server';
import { createUser, mcpKit } from './support.ts';

const anyValue = { type: 'object' as const, properties: {} };
const countSchema = { type: 'object' as const, properties: { count: { type: 'number' } }, required: ['count'] };

const tools: Tool[] = [
  { name: 'lookup', description: 'fails on the server', inputSchema: anyValue },
  { name: 'measure', description: 'answers with a count that is not a number', inputSchema: anyValue, outputSchema: countSchema },
  { name: 'report', description: 'answers without its structured content', inputSchema: anyValue, outputSchema: countSchema },
  {
    name: 'broken',
    description: 'declares an output schema no validator can compile',
    inputSchema: anyValue,
    outputSchema: { type: 'object', properties: { id: { type: 'string', pattern: '(' } } },
  },
];

/** A small SDK server answering each tool as its description says; `legacyOnly` turns the 2026-07-28 probe away. */
function startAnsweringServer(legacyOnly: boolean) {
  const calls: string[] = [];
  const newServer = () => {
    const server = new Server({ name: 'answers', version: '1.0.0' }, { capabilities: { tools: {} } });
    server.setRequestHandler('tools/list', () => ({ tools }));
    server.setRequestHandler('tools/call', (request) => {
      calls.push(request.params.name);
      switch (request.params.name) {
        case 'lookup':
          throw new ProtocolError(ProtocolErrorCode.InvalidParams, 'no region named atlantis');
        case 'measure':
          return { content: [{ type: 'text', text: 'many' }], structuredContent: { count: 'many' } };
        default:
          return { content: [{ type: 'text', text: 'done' }] };
      }
    });
    return server;
  };
  const handler = createMcpHandler(newServer);
  const http = Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    async fetch(request) {
      // A 400 without a JSON-RPC body is the client's signal to fall back to 2025-11-25.
      if (legacyOnly && !(await isLegacyRequest(request.clone()))) return new Response('2025-11-25 only', { status: 400 });
      return handler.fetch(request);
    },
  });
  return {
    url: `http://127.0.0.1:${http.port}/mcp`,
    calls,
    async [Symbol.asyncDispose]() {
      await handler.close();
      await http.stop(true);
    },
  };
}

describe.each([
  ['2025-11-25', true],
  ['2026-07-28', false],
] as const)('in the %s era', (era, legacyOnly) => {
  async function connected() {
    const server = startAnsweringServer(legacyOnly);
    const kit = mcpKit();
    const { id } = await kit.catalogue.create({ name: 'Answers', transport: 'streamable-http', url: server.url });
    const handler = kit.manager.forUser(await createUser(kit.db, 'pat'));
    const state = await handler.connect(id);
    expect(state).toMatchObject({ status: 'connected', protocolVersion: era });
    return {
      server,
      handler,
      async [Symbol.asyncDispose]() {
        await kit[Symbol.asyncDispose]();
        await server[Symbol.asyncDispose]();
      },
    };
  }

  test('an error response from the server is the server’s', async () => {
    await using pat = await connected();
    const outcome = await pat.handler.callTool('answers__lookup', {});
    expect(outcome).toMatchObject({ ok: false, kind: 'protocol' });
    expect(!outcome.ok && outcome.message).toStartWith('Answers answered with an error: ');
    expect(!outcome.ok && outcome.message).toContain('no region named atlantis');
  });

  test('an answer that breaks the tool’s own output schema is one Countersign could not use', async () => {
    await using pat = await connected();
    const mismatch = await pat.handler.callTool('answers__measure', {});
    expect(mismatch).toMatchObject({ ok: false, kind: 'protocol' });
    expect(!mismatch.ok && mismatch.message).toStartWith(
      "Countersign could not use Answers's answer: Structured content does not match the tool's output schema",
    );

    const missing = await pat.handler.callTool('answers__report', {});
    expect(missing).toMatchObject({
      ok: false,
      kind: 'protocol',
      message: "Countersign could not use Answers's answer: Tool report has an output schema but did not return structured content",
    });
    // Both answers did come from the server: the calls ran there.
    expect(pat.server.calls).toEqual(['measure', 'report']);
  });

  test('an output schema the client cannot compile stops the call before it is sent', async () => {
    await using pat = await connected();
    const outcome = await pat.handler.callTool('answers__broken', {});
    expect(outcome).toMatchObject({ ok: false, kind: 'protocol' });
    expect(!outcome.ok && outcome.message).toStartWith(
      "Countersign could not make this call to Answers: Tool 'broken' has an invalid outputSchema",
    );
    expect(pat.server.calls).toEqual([]);
    // The connection is fine: the next call goes through.
    expect(await pat.handler.callTool('answers__lookup', {})).toMatchObject({
      kind: 'protocol',
      message: expect.stringContaining('atlantis'),
    });
  });
});

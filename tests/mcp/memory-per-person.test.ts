/**
 * What a person who connects the built-in server costs this process: the JS heap after a full
 * collection, per person, across many. Through the shared in-process connection
 * (in-process-server.ts) it is the person's MCP handler and a small view, not a session, a
 * stream, a client and a server instance of their own (about 140 KiB each over HTTP).
 */
import { afterAll, expect, test } from 'bun:test';
import { INTERNAL_SERVER_ID } from '../../server/mcp/catalogue-seed.ts';
import { startTestServer } from '../support/test-server.ts';
import { createUser } from './support.ts';

const BOUND_KIB = 32;
const WARM_UP = 10;
const PEOPLE = 200;

const server = await startTestServer();
afterAll(() => server[Symbol.asyncDispose]());

/** People connected to the built-in server, each with their tools listed as a chat would. */
async function connectPeople(prefix: string, count: number) {
  const handlers = [];
  for (let i = 0; i < count; i++) {
    const mcp = server.mcpHandlers.forUser(await createUser(server.db, `${prefix}-${i}`));
    expect(await mcp.connect(INTERNAL_SERVER_ID)).toMatchObject({ status: 'connected' });
    await mcp.listTools();
    handlers.push(mcp);
  }
  return handlers;
}

function heapAfterCollection(): number {
  Bun.gc(true);
  return process.memoryUsage().heapUsed;
}

test(`a person connected to the built-in server costs under ${BOUND_KIB} KiB of heap`, async () => {
  // The first people load the code and open the shared connection; they are not counted.
  const warm = await connectPeople('warm', WARM_UP);
  const before = heapAfterCollection();
  const measured = await connectPeople('measured', PEOPLE);
  const perPersonKiB = (heapAfterCollection() - before) / PEOPLE / 1024;
  // Both lists stay reachable until here, so nothing measured was collected early.
  expect(warm.length + measured.length).toBe(WARM_UP + PEOPLE);
  expect(perPersonKiB).toBeLessThan(BOUND_KIB);
}, 60_000);

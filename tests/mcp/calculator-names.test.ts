/**
 * The built-in calculator's names, through the internal MCP server as a person's chat calls it:
 * only its own constants and functions are names. Names every JavaScript object inherits
 * (`constructor`, `__proto__`) are unknown names like any other, with the list of real ones.
 */
import { afterAll, expect, test } from 'bun:test';
import { INTERNAL_SERVER_ID } from '../../server/mcp/catalogue-seed.ts';
import { startTestServer } from '../support/test-server.ts';
import { createUser } from './support.ts';

const server = await startTestServer();
afterAll(() => server[Symbol.asyncDispose]());
const mcp = server.mcpHandlers.forUser(await createUser(server.db, 'carla'));
await mcp.connect(INTERNAL_SERVER_ID);

async function calculate(expression: string): Promise<string> {
  const outcome = await mcp.callTool('countersign__calculate', { expression });
  return outcome.ok ? outcome.text : outcome.message;
}

test.each(['constructor', '__proto__', '1 + constructor'])('%p is an unknown name', async (expression) => {
  const name = expression.replace('1 + ', '');
  expect(await calculate(expression)).toContain(
    `unknown name "${name}" at position ${expression.indexOf(name) + 1}; constants: pi, e, tau`,
  );
});

test.each(['constructor(1)', '__proto__(1)'])('%p is an unknown function', async (expression) => {
  expect(await calculate(expression)).toContain(`unknown function "${expression.slice(0, -3)}" at position 1; functions: sqrt,`);
});

test('its own names still work', async () => {
  expect(await calculate('max(1, pi) + sqrt(16)')).toBe(`max(1, pi) + sqrt(16) = ${Math.PI + 4}`);
});

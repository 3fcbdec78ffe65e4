/**
 * Preloaded for every `bun test` file (bunfig.toml): a console.error nobody expected fails the
 * test it happened in, because a library or page that complains on the console has usually hit
 * something real that the test's assertions did not look at. The error is still printed.
 *
 * A test that provokes one on purpose says so first: `expectConsoleError(/what it says/)`.
 * The server's own logger writes JSON lines to process.stderr, not through console.error, so
 * errors a test provokes in the server (a failing model, a killed MCP server) do not count here.
 */
import { afterAll, afterEach, beforeEach } from 'bun:test';
import { format } from 'node:util';

const print = console.error.bind(console);
let expected: RegExp[] = [];
/** Unexpected calls, each noted with whether it came while a test was running. */
let unexpected: { text: string; inTest: boolean }[] = [];
let inTest = false;

console.error = (...args: unknown[]) => {
  const text = format(...args);
  if (!expected.some((pattern) => pattern.test(text))) unexpected.push({ text, inTest });
  print(...args);
};

/** Lets the current test call console.error with messages matching these patterns (any number of times). */
export function expectConsoleError(...patterns: RegExp[]): void {
  expected.push(...patterns);
}

function failOnUnexpected(): void {
  const calls = unexpected;
  unexpected = [];
  if (calls.length === 0) return;
  const lines = calls.map(
    ({ text, inTest }) => `  ${inTest ? '' : '(before this test started: a beforeAll, or the previous file’s afterAll) '}${text}`,
  );
  throw new Error(
    `console.error was called unexpectedly:\n${lines.join('\n')}\n` +
      'Fix what it reports; if the test provokes it on purpose, call expectConsoleError(/…/) at its start (tests/support/console-errors.ts).',
  );
}

beforeEach(() => {
  inTest = true;
});

afterEach(() => {
  inTest = false;
  expected = [];
  failOnUnexpected();
});

// Whatever the last file's teardown printed has no later test to fail.
afterAll(failOnUnexpected);

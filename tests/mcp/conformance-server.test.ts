/**
 * The official MCP conformance suite (@modelcontextprotocol/conformance) in server mode, against
 * the built-in server at /mcp, in both protocol eras. The suite sends no bearer token, and /mcp
 * answers nothing without one, so the suite talks to a small loopback proxy that adds the token of
 * one signed-in person, as that person's MCP client would, and passes everything else through.
 *
 * Only the scenarios about what this server offers run here. Most of the suite's server scenarios
 * call fixtures by name (tools such as `test_simple_text`, prompts such as `test_simple_prompt`,
 * resources such as `test://static-text`, the template `test://template/{id}/data`) that a
 * conformance test server implements and this one does not; logging, subscriptions, sampling,
 * elicitation, input_required and x-mcp-header scenarios test features it does not offer.
 */
import { afterAll, describe, expect, test } from 'bun:test';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NotesStore } from '../../server/mcp-server/notes-store.ts';
import { startTestServer, tempDir } from '../support/test-server.ts';
import { createUser } from './support.ts';

const root = join(import.meta.dir, '../..');
const suite = join(root, 'node_modules/@modelcontextprotocol/conformance/dist/index.js');

const server = await startTestServer();
const person = await createUser(server.db, 'conformance');
// Something for resources/list to list.
await new NotesStore(server.db).create(person, 'Conformance', 'A note the suite sees as a resource.');

/** /mcp as a client holding the person's token reaches it; each request gets a fresh token, as the handler mints them. */
const proxy = Bun.serve({
  hostname: '127.0.0.1',
  port: 0,
  // A tool's stream may be quiet between keep-alives; the proxy must not cut it first.
  idleTimeout: 0,
  async fetch(request) {
    const headers = new Headers(request.headers);
    headers.delete('host');
    headers.set('authorization', `Bearer ${(await server.mcpHandlers.userTokens.sign(person)).token}`);
    const body = request.method === 'POST' ? await request.arrayBuffer() : undefined;
    const answer = await fetch(`${server.url}/mcp`, { method: request.method, headers, body, signal: request.signal });
    return new Response(answer.body, { status: answer.status, headers: answer.headers });
  },
});
afterAll(async () => {
  await proxy.stop(true);
  await server[Symbol.asyncDispose]();
});

/**
 * Checks that fail for a reason this file states, as `scenario:check-id` (the suite's baseline
 * format). The suite fails the run if one of them passes, so a fix must also remove its entry.
 */
const EXPECTED_FAILURES = [
  // These four need the suite's diagnostic tools (`test_missing_capability`, `test_logging_tool`),
  // and fail, by the suite's own words, because the server does not list them.
  'server-stateless:sep-2575-server-rejects-undeclared-capability',
  'server-stateless:sep-2575-missing-capability-http-400',
  'server-stateless:sep-2575-http-server-no-independent-requests-on-stream',
  'server-stateless:sep-2575-server-no-log-without-loglevel',
];
const baseline = join(tempDir('countersign-conformance-'), 'expected-failures.yml');
writeFileSync(baseline, `server:\n${EXPECTED_FAILURES.map((entry) => `  - ${entry}\n`).join('')}`);

/** Scenarios about what the server offers (its tools, one prompt, one resource template) and how it serves. */
const SCENARIOS: Record<'2025-11-25' | '2026-07-28', string[]> = {
  '2025-11-25': ['server-initialize', 'ping', 'tools-list', 'prompts-list', 'resources-list', 'dns-rebinding-protection'],
  '2026-07-28': [
    'server-stateless',
    'tools-list',
    'prompts-list',
    'resources-list',
    'sep-2164-resource-not-found',
    'caching',
    'http-header-validation',
    'server-sse-multiple-streams',
    'dns-rebinding-protection',
  ],
};

async function runScenario(scenario: string, specVersion: string): Promise<[number, string]> {
  const url = `http://127.0.0.1:${proxy.port}/mcp`;
  const args = ['server', '--url', url, '--scenario', scenario, '--spec-version', specVersion, '--expected-failures', baseline];
  const proc = Bun.spawn([process.execPath, suite, ...args], { cwd: root, stdout: 'pipe', stderr: 'pipe' });
  const [code, stdout, stderr] = await Promise.all([proc.exited, new Response(proc.stdout).text(), new Response(proc.stderr).text()]);
  return [code, `${stdout}\n${stderr}`];
}

for (const [specVersion, scenarios] of Object.entries(SCENARIOS)) {
  describe(`MCP conformance suite, server scenarios at ${specVersion}, against /mcp`, () => {
    for (const scenario of scenarios) {
      test(scenario, async () => {
        const [code, report] = await runScenario(scenario, specVersion);
        const summary = /Passed: (\d+)\/(\d+), (\d+) failed/.exec(report);
        if (code !== 0 || !summary) console.error(report);
        expect(summary).not.toBeNull();
        expect(Number(summary![1])).toBeGreaterThan(0);
        expect(report).toContain('Baseline check passed');
        expect(code).toBe(0);
      }, 120_000);
    }
  });
}

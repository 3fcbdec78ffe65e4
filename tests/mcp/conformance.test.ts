/**
 * The official MCP conformance suite (@modelcontextprotocol/conformance) in client mode, driving
 * our MCP layer through conformance-client.ts. The suite needs a newer Node than 20 (fs.globSync),
 * so it runs on Bun. Scenarios for both protocol eras: 2025-11-25 and the stateless 2026-07-28.
 */
import { describe, expect, test } from 'bun:test';
import { join } from 'node:path';

const root = join(import.meta.dir, '../..');
const suite = join(root, 'node_modules/@modelcontextprotocol/conformance/dist/index.js');
// The suite splits --command on spaces; neither path has any.
const client = `${process.execPath} ${join(import.meta.dir, 'conformance-client.ts')}`;

/** The auth scenarios both revisions require (issue 17): authorisation as an MCP client. */
const AUTH_BOTH_ERAS = [
  'auth/metadata-default',
  'auth/metadata-var1',
  'auth/metadata-var2',
  'auth/metadata-var3',
  'auth/basic-cimd',
  'auth/scope-from-www-authenticate',
  'auth/scope-from-scopes-supported',
  'auth/scope-omitted-when-undefined',
  'auth/scope-step-up',
  'auth/scope-retry-limit',
  'auth/token-endpoint-auth-basic',
  'auth/token-endpoint-auth-post',
  'auth/token-endpoint-auth-none',
  'auth/pre-registration',
];
/** Required by 2026-07-28 only: resource checks, offline access, moving authorisation servers, RFC 9207 `iss`. */
const AUTH_2026_ONLY = [
  'auth/resource-mismatch',
  'auth/offline-access-scope',
  'auth/offline-access-not-supported',
  'auth/authorization-server-migration',
  'auth/iss-supported',
  'auth/iss-not-advertised',
  'auth/iss-supported-missing',
  'auth/iss-wrong-issuer',
  'auth/iss-unexpected',
  'auth/iss-normalized',
  'auth/metadata-issuer-mismatch',
];
/** Extensions (run at the suite's own version): a service identity by client credentials. */
const AUTH_EXTENSIONS = ['auth/client-credentials-basic', 'auth/client-credentials-jwt'];

const scenarios: [scenario: string, specVersion?: string][] = [
  ['initialize'],
  ['tools_call'],
  ['sse-retry'],
  ['json-schema-2020-12-preservation'],
  ['elicitation-sep1034-client-defaults', '2025-11-25'],
  ['tools_call', '2026-07-28'],
  ['request-metadata', '2026-07-28'],
  ['http-standard-headers', '2026-07-28'],
  ['http-custom-headers', '2026-07-28'],
  ['http-invalid-tool-headers', '2026-07-28'],
  ['sep-2322-client-request-state', '2026-07-28'],
  ['json-schema-ref-no-deref', '2026-07-28'],
  ['json-schema-2020-12-preservation', '2026-07-28'],
  ...AUTH_BOTH_ERAS.map((s) => [s, '2025-11-25'] as [string, string]),
  ...[...AUTH_BOTH_ERAS, ...AUTH_2026_ONLY].map((s) => [s, '2026-07-28'] as [string, string]),
  ...AUTH_EXTENSIONS.map((s) => [s] as [string]),
];

/**
 * Each scenario is two processes (the suite and the client) that mostly wait on each other, so a
 * few run at once; more would only make each slower on two cores and risk the suite's timeouts.
 */
const AT_ONCE = 4;
let running = 0;
const waiting: (() => void)[] = [];
async function inTurn<T>(work: () => Promise<T>): Promise<T> {
  while (running >= AT_ONCE) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await work();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

async function runScenario(args: string[]): Promise<[number, string, string]> {
  const proc = Bun.spawn([process.execPath, suite, ...args], { cwd: root, stdout: 'pipe', stderr: 'pipe' });
  return Promise.all([proc.exited, new Response(proc.stdout).text(), new Response(proc.stderr).text()]);
}

describe('MCP conformance suite, client scenarios', () => {
  for (const [scenario, specVersion] of scenarios) {
    test.concurrent(`${scenario}${specVersion ? ` (${specVersion})` : ''}`, async () => {
      const args = ['client', '--command', client, '--scenario', scenario, ...(specVersion ? ['--spec-version', specVersion] : [])];
      const [code, stdout, stderr] = await inTurn(() => runScenario(args));
      const report = `${stdout}\n${stderr}`;
      const summary = /Passed: (\d+)\/(\d+), (\d+) failed, (\d+) warnings/.exec(report);
      if (code !== 0 || !summary) console.error(report);
      expect(summary).not.toBeNull();
      const [, passed, total, failed, warnings] = summary!.map(Number);
      expect({ failed, warnings }).toEqual({ failed: 0, warnings: 0 });
      expect(passed).toBe(total!);
      expect(passed).toBeGreaterThan(0);
      expect(report).toContain('OVERALL: PASSED');
      expect(code).toBe(0);
    }, 300_000);
  }
});

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

const scenarios: [scenario: string, specVersion?: string][] = [
  ['initialize'],
  ['tools_call'],
  ['sse-retry'],
  ['json-schema-2020-12-preservation'],
  ['tools_call', '2026-07-28'],
  ['request-metadata', '2026-07-28'],
  ['http-standard-headers', '2026-07-28'],
];

describe('MCP conformance suite, client scenarios', () => {
  for (const [scenario, specVersion] of scenarios) {
    test(`${scenario}${specVersion ? ` (${specVersion})` : ''}`, async () => {
      const args = ['client', '--command', client, '--scenario', scenario, ...(specVersion ? ['--spec-version', specVersion] : [])];
      const proc = Bun.spawn([process.execPath, suite, ...args], { cwd: root, stdout: 'pipe', stderr: 'pipe' });
      const [code, stdout, stderr] = await Promise.all([proc.exited, new Response(proc.stdout).text(), new Response(proc.stderr).text()]);
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
    }, 30_000);
  }
});

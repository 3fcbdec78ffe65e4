/**
 * The preload in bunfig.toml (tests/support/console-errors.ts): a console.error no test expected
 * fails that test; expectConsoleError lets the messages it names through, for that test only.
 */
import { expect, test } from 'bun:test';
import { join } from 'node:path';

test('an unexpected console.error fails its test; an expected one does not, and the expectation ends with the test', async () => {
  const repo = join(import.meta.dir, '..', '..');
  const run = Bun.spawn([process.execPath, 'test', join(import.meta.dir, 'fixtures', 'console-error-cases.ts')], {
    cwd: repo,
    stdout: 'ignore',
    // bun test reports each test's outcome on stderr.
    stderr: 'pipe',
  });
  const [output, code] = await Promise.all([new Response(run.stderr).text(), run.exited]);

  const outcome = (name: string) => new RegExp(`\\((pass|fail)\\) ${name} \\[`).exec(output)?.[1];
  expect(outcome('quiet')).toBe('pass');
  expect(outcome('complains unexpectedly')).toBe('fail');
  expect(outcome('complains on purpose')).toBe('pass');
  expect(outcome('complains on purpose, and about something else too')).toBe('fail');
  expect(outcome('complains after its expectation ran out')).toBe('fail');
  expect(output).toContain('console.error was called unexpectedly:\n  an unrelated failure\n');
  expect(code).toBe(1);
}, 30_000);

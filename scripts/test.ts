/**
 * The whole suite: `bun test` for everything, then Vitest on the Bun runtime for the official
 * checkpointer conformance suite, which is written for Vitest's globals. Both always run, so one
 * failing does not hide the other's results; the exit code is non-zero if either failed.
 */
import { Glob } from 'bun';

const bun = process.execPath;
const extraArgs = process.argv.slice(2);

async function run(label: string, cmd: string[]): Promise<number> {
  console.log(`\n=== ${label}: ${cmd.join(' ')}`);
  const proc = Bun.spawn(cmd, { stdio: ['inherit', 'inherit', 'inherit'], env: process.env });
  return proc.exited;
}

// Bun 1.4.5 reads no test timeout from bunfig.toml; integration tests start servers and processes on a loaded 2-core machine.
const codes = [await run('bun test', [bun, 'test', '--timeout', '20000', ...extraArgs])];
const vitestFiles = [...new Glob('tests/**/*.vitest.ts').scanSync('.')];
if (vitestFiles.length > 0 && extraArgs.length === 0) {
  codes.push(await run('vitest', [bun, '--bun', 'node_modules/.bin/vitest', 'run']));
}
process.exit(codes.some((code) => code !== 0) ? 1 : 0);

/** Runs one of the operators' scripts (`scripts/<name>.ts`) as `npm run` would, with the server's settings. */
import { join } from 'node:path';

const SCRIPTS = join(import.meta.dir, '..', '..', 'scripts');

export interface ScriptRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runScript(name: string, args: string[], env: Record<string, string>): Promise<ScriptRun> {
  const proc = Bun.spawn([process.execPath, join(SCRIPTS, `${name}.ts`), ...args], {
    env: { ...process.env, NODE_ENV: 'test', ...env },
    stdout: 'pipe',
    stderr: 'pipe',
  });
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  return { code, stdout, stderr };
}

import { describe, expect, test } from 'bun:test';
import { cpSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { tempDir } from '../support/test-server.ts';

const root = resolve(import.meta.dir, '../..');

function run(cmd: string[], cwd: string) {
  const proc = Bun.spawnSync(cmd, { cwd, stdout: 'pipe', stderr: 'pipe' });
  return { code: proc.exitCode, out: proc.stdout.toString() + proc.stderr.toString() };
}

describe('the typed client for other services', () => {
  test('a project with only @trpc/* and zod typechecks its use of countersign/client with skipLibCheck off', () => {
    const build = run([process.execPath, 'scripts/build-client.ts'], root);
    expect(build.out).toBe('');
    expect(build.code).toBe(0);

    const project = tempDir('countersign-consumer-');
    try {
      cpSync(join(root, 'tests/consumer'), project, { recursive: true });
      const modules = join(project, 'node_modules');
      mkdirSync(join(modules, 'countersign'), { recursive: true });
      // The package as npm would install it: its manifest and its built files, nothing else.
      cpSync(join(root, 'package.json'), join(modules, 'countersign/package.json'));
      cpSync(join(root, 'dist/typed-client'), join(modules, 'countersign/dist/typed-client'), { recursive: true });
      mkdirSync(join(modules, '@trpc'));
      for (const name of ['@trpc/client', '@trpc/server', 'zod']) symlinkSync(join(root, 'node_modules', name), join(modules, name));

      const tsc = run([join(root, 'node_modules/.bin/tsc'), '-p', 'tsconfig.json'], project);
      expect(tsc.out).toBe('');
      expect(tsc.code).toBe(0);

      // The check can fail: a misuse must be reported.
      writeFileSync(
        join(project, 'consumer.ts'),
        "import { createCountersignClient } from 'countersign/client';\ncreateCountersignClient({ url: 1 });\n",
      );
      expect(run([join(root, 'node_modules/.bin/tsc'), '-p', 'tsconfig.json'], project).code).not.toBe(0);
    } finally {
      rmSync(project, { recursive: true, force: true });
    }
  }, 60_000);
});

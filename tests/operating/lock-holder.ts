/** Runs fixtures/hold-exclusive-lock.ts on a database file: resolves once the lock is held. */
import { join } from 'node:path';
import { trackChild } from '../support/child-processes.ts';

export interface LockHolder {
  /** Gives the lock back and waits until the holder has exited. */
  release(): Promise<void>;
}

export async function holdExclusiveLock(file: string): Promise<LockHolder> {
  const holder = trackChild(
    Bun.spawn([process.execPath, join(import.meta.dir, 'fixtures', 'hold-exclusive-lock.ts'), file], {
      stdin: 'pipe',
      stdout: 'pipe',
      stderr: 'pipe',
    }),
  );
  const reader = holder.stdout.getReader();
  let said = '';
  while (!said.includes('locked')) {
    const { done, value } = await reader.read();
    if (done) throw new Error(`the lock holder exited early: ${await new Response(holder.stderr).text()}`);
    said += new TextDecoder().decode(value);
  }
  reader.releaseLock();
  return {
    async release() {
      await holder.stdin.end();
      const code = await holder.exited;
      if (code !== 0) throw new Error(`the lock holder exited with ${code}: ${await new Response(holder.stderr).text()}`);
    },
  };
}

import { describe, expect, test } from 'bun:test';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { openSqliteDatabase } from '../../db/database.ts';
import { startTestServer, tempDir } from '../support/test-server.ts';

describe('server lifecycle', () => {
  // Liveness only: a database outage is /readyz's to report (tests/operating/readyz.test.ts), not a reason to restart the process.
  test('/healthz says the process is alive', async () => {
    await using server = await startTestServer();
    const res = await fetch(`${server.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  test('stop() stops accepting requests and closes the database', async () => {
    await using server = await startTestServer();
    await server.stop();
    expect(server.db.closed).toBe(true);
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
  });

  // Two cold starts of Bun and the whole server (main.ts runs itself again to set the HTTP cap):
  // a second on a quiet machine, many on a loaded one, so not Bun's default 5 s.
  test('SIGTERM shuts the process down cleanly with the database closed', async () => {
    const dataDir = tempDir();
    const proc = Bun.spawn([process.execPath, 'server/main.ts'], {
      env: { ...process.env, NODE_ENV: 'test', PORT: '0', DATA_DIR: dataDir },
      stdout: 'pipe',
      stderr: 'pipe',
    });
    const reader = proc.stdout.getReader();
    let out = '';
    while (!out.includes('countersign listening')) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`server exited before listening: ${out}`);
      out += new TextDecoder().decode(value);
    }
    const url = /"url":"([^"]+)"/.exec(out)?.[1];
    expect((await fetch(`${url}/healthz`)).status).toBe(200);

    proc.kill('SIGTERM');
    expect(await proc.exited).toBe(0);
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      out += new TextDecoder().decode(chunk.value);
    }
    expect(out).toContain('"msg":"stopped"');
    // SQLite removes the WAL file when the last connection closes cleanly.
    const dbPath = join(dataDir, 'countersign.db');
    expect(existsSync(`${dbPath}-wal`)).toBe(false);
    const reopened = openSqliteDatabase(dbPath);
    expect(await reopened.ping()).toBe(true);
    await reopened.close();
  }, 60_000);
});

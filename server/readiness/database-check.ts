/**
 * A SQLite file is ready when its writer could start: in WAL mode readers never wait, so a
 * `SELECT 1` answers even while another connection holds the write lock (BEGIN EXCLUSIVE from a
 * sqlite3 shell, a migration, a stuck process) and every write here would wait. The probe has a
 * connection of its own with a short busy timeout, because bun:sqlite waits synchronously and the
 * app's connection waits five seconds (db/database.ts); it takes the write lock and gives it back
 * at once, in one synchronous step, so it never overlaps this process's own writes.
 */
import { Database } from 'bun:sqlite';
import { basename } from 'node:path';
import type { CheckResult, ReadinessCheck } from './check.ts';

/** How long the probe may block the event loop waiting for another connection's write lock. */
const PROBE_BUSY_TIMEOUT_MS = 200;

export interface SqliteCheck extends ReadinessCheck {
  close(): void;
}

/** `answers`: the app's own connection still answers (false once closed). */
export function sqliteCheck(name: string, path: string, answers: () => Promise<boolean>): SqliteCheck {
  // Anyone who reaches /readyz reads its reasons: the file's name says enough, its folder need not be told.
  const file = basename(path);
  let probe: Database | undefined;
  let closed = false;
  const open = () => {
    if (closed) throw new Error('the readiness probe is closed: the server is stopping');
    if (probe) return probe;
    probe = new Database(path, { readwrite: true, create: false });
    probe.run(`PRAGMA busy_timeout = ${PROBE_BUSY_TIMEOUT_MS}`);
    return probe;
  };
  return {
    name,
    async run(): Promise<CheckResult> {
      if (!(await answers())) return { ok: false, reason: `the connection to ${file} does not answer` };
      try {
        const db = open();
        db.run('BEGIN IMMEDIATE');
        db.run('ROLLBACK');
        return { ok: true };
      } catch (error) {
        const message = (error as Error).message;
        if (/locked|busy/i.test(message))
          return { ok: false, reason: `${file} is locked by another connection: writes would wait (${message})` };
        return { ok: false, reason: `${file}: ${message}` };
      }
    },
    close() {
      closed = true;
      probe?.close();
      probe = undefined;
    },
  };
}

/** A database this check cannot open beside its owner (in memory, or PostgreSQL): its own bounded ping. */
export function pingCheck(name: string, ping: () => Promise<boolean>, what: string): ReadinessCheck {
  return {
    name,
    async run() {
      return (await ping()) ? { ok: true } : { ok: false, reason: `${what} does not answer` };
    },
  };
}

/**
 * `npm run backup -- <file>`: a consistent copy of every SQLite database the server with these
 * settings uses, taken while it runs. `VACUUM INTO` reads one snapshot of the database (in WAL mode
 * the server keeps writing meanwhile), so the copy holds exactly what was committed when it began.
 * The app database goes to <file>; checkpoints kept in a file of their own go to <file>.checkpoints,
 * copied after the app database so that every chat in the copy has its history. Each copy is
 * opened and checked before this says it is done.
 */
import { Database } from 'bun:sqlite';
import { existsSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { KEY_FILE_NAME } from '../server/crypto/encryption-key.ts';
import { describeCopy, readCopy } from '../server/ops/database-copy.ts';
import { runOperation } from '../server/ops/run-operation.ts';
import { OperationRefused, sqliteFiles } from '../server/ops/sqlite-files.ts';

/** The server's own writes are short; a copy waits this long for one to finish before it starts. */
const BUSY_TIMEOUT_MS = 10_000;

function backUp(target: string): void {
  const { config, files } = sqliteFiles(process.env, resolve(target));
  for (const file of files) {
    if (!existsSync(file.path))
      throw new OperationRefused(
        `there is no ${file.role} at ${file.path}: run this with the server's own settings (DATA_DIR, DATABASE_PATH)`,
      );
    if (existsSync(file.backup))
      throw new OperationRefused(`${file.backup} already exists: a backup never overwrites one; choose a new name`);
  }
  for (const file of files) {
    const source = new Database(file.path, { readwrite: true, create: false });
    try {
      source.run(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
      source.query('VACUUM INTO ?').run(file.backup);
    } finally {
      source.close();
    }
    const contents = readCopy(file.backup);
    if (contents.integrity !== 'ok') {
      rmSync(file.backup, { force: true });
      throw new Error(`the copy of ${file.path} failed SQLite's integrity check (${contents.integrity}); nothing was kept`);
    }
    console.log(`wrote ${file.backup}: the ${file.role} from ${file.path} (${describeCopy(contents)})`);
  }
  const keyFile = join(config.dataDir, KEY_FILE_NAME);
  if (!config.tokenEncryption.key && existsSync(keyFile))
    console.log(`tokens kept for people are sealed with the key in ${keyFile}: keep a copy of it too, apart from this backup`);
  console.log(`to restore: stop the server, then npm run restore -- ${target}`);
}

await runOperation('backup', 'npm run backup -- <file> (the file must not exist yet)', backUp);

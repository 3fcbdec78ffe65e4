/**
 * `npm run restore -- <file>`: puts a backup made by `npm run backup` back where the server with
 * these settings keeps its databases. It checks first and changes nothing when a check fails: every
 * file of the backup is there and intact, none is from a newer version than this one, and no
 * process has the databases open (a running server would keep writing to the files it had open).
 * The databases it replaces are kept beside them, renamed, until the operator removes them.
 */
import { Database } from 'bun:sqlite';
import { copyFileSync, existsSync, mkdirSync, renameSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { KEY_FILE_NAME } from '../server/crypto/encryption-key.ts';
import { type CopyContents, describeCopy, readCopy, thisVersion } from '../server/ops/database-copy.ts';
import { runOperation } from '../server/ops/run-operation.ts';
import { CHECKPOINTS_SUFFIX, OperationRefused, type SqliteFile, sqliteFiles } from '../server/ops/sqlite-files.ts';

type Version = Awaited<ReturnType<typeof thisVersion>>;

/** Refuses a backup this version cannot take as it is. */
function checkBackup(file: SqliteFile, contents: CopyContents, version: Version): void {
  if (contents.integrity !== 'ok') throw new OperationRefused(`${file.backup} fails SQLite's integrity check (${contents.integrity})`);
  if (file.role === 'app database' && (!contents.migrations || contents.chats === undefined))
    throw new OperationRefused(`${file.backup} is not a Countersign database: it has no chats or no migration journal`);
  if (contents.migrations && contents.migrations.newest > version.migrations.newest)
    throw new OperationRefused(
      `${file.backup} was made by a newer Countersign (its schema has migrations this version does not know): restore it with that version or a later one`,
    );
  if (contents.checkpoints && contents.checkpoints.migrations > version.checkpointMigrations)
    throw new OperationRefused(`${file.backup} holds checkpoints from a newer Countersign: restore it with that version or a later one`);
}

/** Refuses while another process has the database open: an idle WAL connection blocks an exclusive lock. */
function checkUnused(path: string): void {
  const db = new Database(path, { readwrite: true, create: false });
  try {
    db.run('PRAGMA busy_timeout = 0');
    db.run('PRAGMA locking_mode = EXCLUSIVE');
    db.run('BEGIN EXCLUSIVE');
    db.query('SELECT count(*) FROM sqlite_master').get();
    db.run('ROLLBACK');
  } catch (error) {
    throw new OperationRefused(
      `${path} is open in another process (${(error as Error).message}): stop the server (and any sqlite3 shell on it) first, then run this again`,
    );
  } finally {
    db.close();
  }
}

/** Moves a database and its WAL files aside; returns where the database went. */
function moveAside(path: string, stamp: string): string {
  const aside = `${path}.before-restore-${stamp}`;
  for (const suffix of ['', '-wal', '-shm']) if (existsSync(path + suffix)) renameSync(path + suffix, aside + suffix);
  return aside;
}

async function restore(source: string): Promise<void> {
  const { config, files } = sqliteFiles(process.env, resolve(source));
  const separateCheckpoints = existsSync(`${resolve(source)}${CHECKPOINTS_SUFFIX}`);
  if (files.length === 1 && separateCheckpoints)
    throw new OperationRefused(
      `the backup keeps its checkpoints in ${source}${CHECKPOINTS_SUFFIX}, but these settings keep them in the app database: set CHECKPOINT_DATABASE_PATH as the server had it when the backup was made`,
    );
  if (files.length === 2 && !separateCheckpoints)
    throw new OperationRefused(
      `the backup keeps its checkpoints in ${source} itself, but CHECKPOINT_DATABASE_PATH names a file of their own: unset it to restore this backup`,
    );
  const version = await thisVersion();
  const contents = files.map((file) => {
    if (!existsSync(file.backup)) throw new OperationRefused(`there is no ${file.backup}: give the file npm run backup wrote`);
    const read = readCopy(file.backup);
    checkBackup(file, read, version);
    return read;
  });
  for (const file of files) if (existsSync(file.path)) checkUnused(file.path);

  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const steps: string[] = [];
  files.forEach((file, i) => {
    mkdirSync(dirname(file.path), { recursive: true });
    if (existsSync(file.path))
      steps.push(`kept the ${file.role} it replaced as ${moveAside(file.path, stamp)}: remove it once the server runs well`);
    // Copied beside the target, then renamed: a failed copy never leaves half a database in its place.
    copyFileSync(file.backup, `${file.path}.restoring`);
    renameSync(`${file.path}.restoring`, file.path);
    steps.push(`restored the ${file.role} ${file.path} from ${file.backup} (${describeCopy(contents[i]!)})`);
  });
  const behind = version.migrations.applied - (contents[0]?.migrations?.applied ?? 0);
  if (behind > 0) steps.push(`the backup is from an earlier version: start-up applies the ${behind} schema migrations it lacks`);
  const keyFile = join(config.dataDir, KEY_FILE_NAME);
  if (!config.tokenEncryption.key && !existsSync(keyFile))
    steps.push(
      `put back ${keyFile} from where you kept it (or set TOKEN_ENCRYPTION_KEY) before starting: without it the tokens kept for people cannot be opened and they sign in to their MCP servers again`,
    );
  steps.push('start the server (npm start) with these same settings');
  for (const [i, step] of steps.entries()) console.log(`${i + 1}. ${step}`);
}

await runOperation('restore', 'npm run restore -- <file> (a file npm run backup wrote; stop the server first)', restore);

/** Helpers shared by the MCP tests: users, an MCP layer on a fresh database, child MCP servers, a log to read. */
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { type AppDatabase, openSqliteDatabase } from '../../db/database.ts';
import { type ControlChannel, LocalControlChannel } from '../../server/cluster/control-channel.ts';
import { createLogger, type Logger } from '../../server/log.ts';
import { CatalogueService } from '../../server/mcp/catalogue.ts';
import { CatalogueStore } from '../../server/mcp/catalogue-store.ts';
import { HeldDefinitionsStore } from '../../server/mcp/held-definitions-store.ts';
import { TokenCipher } from '../../server/crypto/token-cipher.ts';
import type { ServerAuth } from '../../server/mcp/oauth/server-auth.ts';
import { createServerAuth, type OAuthSetupOptions } from '../../server/mcp/oauth/setup.ts';
import { MCPHandlerManager } from '../../server/mcp/mcp-handler-manager.ts';
import { eventually } from '../support/eventually.ts';
import { freePort } from '../support/ports.ts';

export const everythingScript = createRequire(import.meta.url).resolve('@modelcontextprotocol/server-everything/dist/index.js');

export async function createUser(db: AppDatabase, name: string): Promise<string> {
  const id = crypto.randomUUID();
  await db.drizzle
    .insert(db.tables.users)
    .values({ id, issuer: 'https://tests.invalid', subject: id, name, email: `${name}@example.test` });
  return id;
}

/** One line a recording logger was given: its level, message and fields. */
export interface LogLine {
  level: 'debug' | 'info' | 'warn' | 'error';
  msg: string;
  [field: string]: unknown;
}

/** A logger that keeps every line, at every level, in `lines`. */
export function recordingLogger(lines: LogLine[], base: Record<string, unknown> = {}): Logger {
  const write = (level: LogLine['level']) => (msg: string, fields?: Record<string, unknown>) => {
    lines.push({ level, msg, ...base, ...fields });
  };
  return {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    child: (fields) => recordingLogger(lines, { ...base, ...fields }),
  };
}

/** A line as JSON text, errors with their message and stack, for searching. */
export const lineText = (line: LogLine): string =>
  JSON.stringify(line, (_, v) => (v instanceof Error ? { message: v.message, stack: v.stack } : v));

export interface McpKit extends AsyncDisposable {
  db: AppDatabase;
  catalogue: CatalogueService;
  manager: MCPHandlerManager;
  control: ControlChannel;
}

/** Per-person OAuth over `db`, sealing with a key of its own; `origin` is where its callback would be. */
export function testServerAuth(db: AppDatabase, origin = 'http://127.0.0.1:1', overrides: Partial<OAuthSetupOptions> = {}): ServerAuth {
  return createServerAuth({ db, cipher: new TokenCipher(randomBytes(32)), origin: () => origin, env: 'test', ...overrides });
}

/** The catalogue as one instance runs it, over `db`, hearing changes on `control`. */
export function catalogueService(
  db: AppDatabase,
  control: ControlChannel,
  log = createLogger('error'),
  credentials: ServerAuth = testServerAuth(db),
): CatalogueService {
  return new CatalogueService({ store: new CatalogueStore(db), held: new HeldDefinitionsStore(db), control, log, credentials });
}

/**
 * The MCP layer alone, with no HTTP server: on an in-memory database, or on `db` as one instance
 * of several (each with its own kit over one database and one control channel).
 */
export function mcpKit(
  config: { toolTimeoutMs?: number; log?: Logger } = {},
  db: AppDatabase = openSqliteDatabase(':memory:'),
  control: ControlChannel = new LocalControlChannel(),
  /** Instances of one deployment share it: each must open the tokens another sealed. */
  auth: ServerAuth = testServerAuth(db),
): McpKit {
  const log = config.log ?? createLogger('error');
  const catalogue = catalogueService(db, control, log, auth);
  const manager = new MCPHandlerManager({
    db,
    catalogue,
    log,
    config: { toolTimeoutMs: config.toolTimeoutMs ?? 10_000 },
    origin: () => 'http://127.0.0.1:1',
    control,
    auth,
  });
  return {
    db,
    catalogue,
    manager,
    control,
    async [Symbol.asyncDispose]() {
      await manager.closeAll();
      db.close();
    },
  };
}

const children = new Set<Bun.Subprocess>();

/** Every child process the tests started; call in afterAll. */
export function killChildren(): void {
  for (const child of children) child.kill('SIGKILL');
  children.clear();
}

export interface EverythingOverHttp {
  /** The URL a catalogue entry points at: /mcp for Streamable HTTP, /sse for the legacy transport. */
  url: string;
  port: number;
  kill(): Promise<void>;
}

/** server-everything in its own process, listening on loopback; `port` lets a test restart it at the same address. */
export async function startEverything(mode: 'streamableHttp' | 'sse', port = freePort()): Promise<EverythingOverHttp> {
  const proc = Bun.spawn([process.execPath, everythingScript, mode], {
    env: { ...process.env, PORT: String(port) },
    stdout: 'ignore',
    stderr: 'ignore',
  });
  children.add(proc);
  const base = `http://127.0.0.1:${port}`;
  await eventually(
    () =>
      fetch(`${base}/`).then(
        () => true,
        () => false,
      ),
    `server-everything ${mode} on ${port}`,
  );
  return {
    url: `${base}${mode === 'sse' ? '/sse' : '/mcp'}`,
    port,
    async kill() {
      proc.kill('SIGKILL');
      await proc.exited;
      children.delete(proc);
    },
  };
}

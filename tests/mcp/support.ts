/** Helpers shared by the MCP tests: users, an MCP layer on a fresh database, child MCP servers. */
import { createRequire } from 'node:module';
import { type AppDatabase, openDatabase } from '../../db/database.ts';
import { users } from '../../db/schema.ts';
import { createLogger } from '../../server/log.ts';
import { CatalogueService } from '../../server/mcp/catalogue.ts';
import { CatalogueStore } from '../../server/mcp/catalogue-store.ts';
import { MCPHandlerManager } from '../../server/mcp/mcp-handler-manager.ts';
import { eventually } from '../support/eventually.ts';
import { freePort } from '../support/ports.ts';

export const everythingScript = createRequire(import.meta.url).resolve('@modelcontextprotocol/server-everything/dist/index.js');

export async function createUser(db: AppDatabase, name: string): Promise<string> {
  const id = crypto.randomUUID();
  await db.drizzle.insert(users).values({ id, issuer: 'https://tests.invalid', subject: id, name, email: `${name}@example.test` });
  return id;
}

export interface McpKit extends AsyncDisposable {
  db: AppDatabase;
  catalogue: CatalogueService;
  manager: MCPHandlerManager;
}

/** The MCP layer alone, on an in-memory database; no HTTP server. */
export function mcpKit(config: { toolTimeoutMs?: number } = {}, db = openDatabase(':memory:')): McpKit {
  const log = createLogger('error');
  const catalogue = new CatalogueService(new CatalogueStore(db), log);
  const manager = new MCPHandlerManager({
    db,
    catalogue,
    log,
    config: { toolTimeoutMs: config.toolTimeoutMs ?? 10_000 },
    origin: () => 'http://127.0.0.1:1',
  });
  return {
    db,
    catalogue,
    manager,
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

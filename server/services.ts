/** What the features of a running server share, built once at start-up and passed down. */
import type { AppDatabase } from '../db/database.ts';
import type { BunSqliteSaver } from '../db/checkpointer/bun-sqlite-saver.ts';
import type { AuthService } from './auth/auth-service.ts';
import type { Config } from './config.ts';
import type { Lifecycle } from './lifecycle.ts';
import type { Logger } from './log.ts';
import type { CatalogueService } from './mcp/catalogue.ts';
import type { MCPHandlerManager } from './mcp/handler-manager.ts';
import type { LLMHandlerManager } from './agent/handler-manager.ts';
import type { ChatRuns } from './chats/chat-runs.ts';
import type { UserHandlers } from './handlers/user-handlers.ts';

export interface Services {
  config: Config;
  log: Logger;
  db: AppDatabase;
  lifecycle: Lifecycle;
  auth: AuthService;
  /** LangGraph's history store, one thread per chat. */
  checkpointer: BunSqliteSaver;
  /** The origin this server is reached at (PUBLIC_URL, or the listening address). */
  origin: () => string;
  /** Each user's MCP connections and tools. */
  mcp: MCPHandlerManager;
  /** The MCP servers users may connect to, defined by admins. */
  catalogue: CatalogueService;
  /** Each user's LLM handler (their compiled graph). */
  agent: LLMHandlerManager;
  /** A user's MCP and LLM handlers working together. */
  handlers: UserHandlers;
  /** Chat runs in flight and their event streams. */
  chatRuns: ChatRuns;
}

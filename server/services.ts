/** What the features of a running server share, built once at start-up and passed down. */
import type { AppDatabase } from '../db/database.ts';
import type { BunSqliteSaver } from '../db/checkpointer/bun-sqlite-saver.ts';
import type { AuthService } from './auth/auth-service.ts';
import type { Config } from './config.ts';
import type { Lifecycle } from './lifecycle.ts';
import type { Logger } from './log.ts';

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
}

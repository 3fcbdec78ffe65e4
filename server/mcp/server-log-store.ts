/**
 * MCP servers' log messages kept for admins (mcp_server_logs): the newest ones per server, older
 * ones pruned as new ones arrive. This instance keeps at most `perSecond` a second from one server,
 * so a chatty server cannot flood the database; what it drops is counted and said in one entry.
 */
import { and, desc, eq, lte } from 'drizzle-orm';
import type { AppDatabase } from '../../db/database.ts';
import type { Logger } from '../log.ts';
import type { ServerLogMessage, ServerLogSink } from './server-log.ts';

export interface ServerLogLimits {
  /** Entries kept per server. */
  kept: number;
  /** Messages kept per server per second on this instance. */
  perSecond: number;
}

const DEFAULT_LIMITS: ServerLogLimits = { kept: 200, perSecond: 20 };
const WINDOW_MS = 1000;

/** One server's current second on this instance. */
interface Window {
  startedAt: number;
  taken: number;
  dropped: number;
}

export class ServerLogStore implements ServerLogSink {
  readonly #windows = new Map<string, Window>();

  constructor(
    private readonly db: AppDatabase,
    private readonly log: Logger,
    private readonly limits: ServerLogLimits = DEFAULT_LIMITS,
  ) {}

  async record(message: ServerLogMessage): Promise<void> {
    if (this.#admitted(message.serverId)) await this.#store(message);
  }

  #admitted(serverId: string): boolean {
    const now = Date.now();
    let window = this.#windows.get(serverId);
    if (!window || now - window.startedAt >= WINDOW_MS) {
      window = { startedAt: now, taken: 0, dropped: 0 };
      this.#windows.set(serverId, window);
    }
    if (window.taken < this.limits.perSecond) {
      window.taken++;
      return true;
    }
    // The first drop of the second schedules the one entry that counts them all, once the second is over.
    if (window.dropped++ === 0) {
      const counted = window;
      setTimeout(() => void this.#reportDropped(serverId, counted.dropped), counted.startedAt + WINDOW_MS - now).unref();
    }
    return false;
  }

  async #reportDropped(serverId: string, dropped: number): Promise<void> {
    const { perSecond } = this.limits;
    this.log.warn('mcp server log messages dropped', { serverId, dropped, perSecond });
    await this.#store({
      serverId,
      userId: null,
      level: 'warning',
      logger: 'countersign',
      data: `${dropped} more ${dropped === 1 ? 'message' : 'messages'} from this server in one second were not kept: at most ${perSecond} a second are`,
    });
  }

  async #store(message: Omit<ServerLogMessage, 'userId'> & { userId: string | null }): Promise<void> {
    const { drizzle, tables } = this.db;
    const logs = tables.mcpServerLogs;
    try {
      await drizzle.insert(logs).values(message);
      // Ids increase, so everything at or below the first one past the newest `kept` is older than those.
      const [pastKept] = await drizzle
        .select({ id: logs.id })
        .from(logs)
        .where(eq(logs.serverId, message.serverId))
        .orderBy(desc(logs.id))
        .limit(1)
        .offset(this.limits.kept);
      if (pastKept) await drizzle.delete(logs).where(and(eq(logs.serverId, message.serverId), lte(logs.id, pastKept.id)));
    } catch (error) {
      this.log.error('keeping an mcp server log message failed', { serverId: message.serverId, error });
    }
  }
}

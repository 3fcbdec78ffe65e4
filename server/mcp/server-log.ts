/**
 * MCP servers' log messages (`notifications/message`), the client's side: asking a server for the
 * catalogue entry's level in either protocol era, and what one message becomes here: a line in
 * Countersign's log and an entry admins read on the server's page (server-log-store.ts).
 */
import { Client, LOG_LEVEL_META_KEY, type LoggingMessageNotificationParams } from '@modelcontextprotocol/client';
import type { McpLogLevel } from '../../db/schema.ts';
import type { Logger } from '../log.ts';

/** Least severe first, as MCP orders them. */
export const MCP_LOG_LEVELS = [
  'debug',
  'info',
  'notice',
  'warning',
  'error',
  'critical',
  'alert',
  'emergency',
] as const satisfies readonly McpLogLevel[];

/** A message's data is cut to this many characters, in the log and in the store. */
const MAX_DATA_CHARS = 2048;

/** Countersign's own log has four levels: notice joins info, and everything above error is an error. */
const LOG_METHOD: Record<McpLogLevel, 'debug' | 'info' | 'warn' | 'error'> = {
  debug: 'debug',
  info: 'info',
  notice: 'info',
  warning: 'warn',
  error: 'error',
  critical: 'error',
  alert: 'error',
  emergency: 'error',
};

export interface ServerLogMessage {
  serverId: string;
  /** Whose connection received it. */
  userId: string;
  level: McpLogLevel;
  logger: string | null;
  /** The message's data as text: as sent when it is a string, JSON otherwise; cut to 2,048 characters. */
  data: string;
}

/** Where a connection hands the messages it receives, to be kept for admins. */
export interface ServerLogSink {
  /** Never rejects: keeping a message must not disturb the connection that received it. */
  record(message: ServerLogMessage): Promise<void>;
}

/**
 * A client that states its log level on every request of the 2026-07-28 era, where the level rides
 * in each request's `_meta` (SEP-2577) and `logging/setLevel` is deprecated. The SDK builds that
 * per-request envelope itself (and none in the 2025 era); this adds the level to it, and a caller's
 * own `_meta` keys still win.
 */
export class LevelledClient extends Client {
  constructor(
    private readonly logLevel: McpLogLevel,
    ...client: ConstructorParameters<typeof Client>
  ) {
    super(...client);
  }

  protected override _outboundMetaEnvelope(): Readonly<Record<string, unknown>> | undefined {
    const envelope = super._outboundMetaEnvelope();
    return envelope && { ...envelope, [LOG_LEVEL_META_KEY]: this.logLevel };
  }
}

/**
 * In the 2025 era, asks a server that offers logging for the level once per session. A server may
 * refuse or ignore it: the connection goes on, and messages below the level are still not kept.
 */
export async function askForLevel(client: Client, level: McpLogLevel, log: Logger, timeoutMs: number): Promise<void> {
  if (client.getDiscoverResult() || !client.getServerCapabilities()?.logging) return;
  try {
    await client.setLoggingLevel(level, { timeout: timeoutMs });
  } catch (error) {
    log.debug('mcp server refused its log level', { level, error });
  }
}

/** What a notification becomes here; undefined when it is below the level the server was asked for. */
export function serverLogMessage(
  params: LoggingMessageNotificationParams,
  threshold: McpLogLevel,
  from: { serverId: string; userId: string },
): ServerLogMessage | undefined {
  if (MCP_LOG_LEVELS.indexOf(params.level) < MCP_LOG_LEVELS.indexOf(threshold)) return undefined;
  const text = typeof params.data === 'string' ? params.data : (JSON.stringify(params.data) ?? String(params.data));
  const data = text.length > MAX_DATA_CHARS ? `${text.slice(0, MAX_DATA_CHARS - 1)}…` : text;
  return { ...from, level: params.level, logger: params.logger ?? null, data };
}

/** One line in Countersign's log, at the nearest of its levels (`mcpLevel` keeps the server's own). */
export function logServerMessage(log: Logger, { serverId, userId, level, logger, data }: ServerLogMessage): void {
  log[LOG_METHOD[level]]('mcp server log', { serverId, userId, mcpLevel: level, logger, data });
}

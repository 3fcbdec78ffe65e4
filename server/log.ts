/**
 * The server's structured logger, on pino: one JSON line per event (`level` as a word, ISO `time`,
 * `msg`), so logs can be grepped and shipped as they are. Every line written while a request is
 * handled carries its `requestId` (logging/request-context.ts), and its `traceId` while traces are on; credentials are redacted by field
 * name and scrubbed out of text (logging/redaction.ts). Debug and info go to stdout, warn and error
 * to stderr, written synchronously so that a crash's last line is not lost.
 */
import { isSpanContextValid, trace } from '@opentelemetry/api';
import pino, { type DestinationStream } from 'pino';
import { redacted, scrubText } from './logging/redaction.ts';
import { currentRequestId } from './logging/request-context.ts';

type Level = 'debug' | 'info' | 'warn' | 'error';
type Fields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: Fields): void;
  info(msg: string, fields?: Fields): void;
  warn(msg: string, fields?: Fields): void;
  error(msg: string, fields?: Fields): void;
  child(fields: Fields): Logger;
}

/** `destination` is where lines go instead of stdout and stderr (a test reads them there). */
export function createLogger(level: Level = 'info', destination: DestinationStream = standardStreams()): Logger {
  return wrap(
    pino(
      {
        level,
        base: undefined,
        timestamp: pino.stdTimeFunctions.isoTime,
        formatters: { level: (label) => ({ level: label }) },
        mixin: () => {
          const requestId = currentRequestId();
          // The trace this line was written in (telemetry/tracing.ts): logs and spans find each other. Invalid (off): none.
          const span = trace.getActiveSpan()?.spanContext();
          const traceId = span && isSpanContextValid(span) ? span.traceId : undefined;
          return { ...(requestId === undefined ? {} : { requestId }), ...(traceId === undefined ? {} : { traceId }) };
        },
      },
      destination,
    ),
  );
}

/** `bound`: the fields its children were made with, which every line of this logger has already. */
function wrap(logger: pino.Logger, bound: Fields = {}): Logger {
  const at = (level: Level) => (msg: string, fields?: Fields) => {
    if (logger.isLevelEnabled(level)) logger[level](fields ? prepare(fields, bound) : {}, scrubText(msg));
  };
  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: (fields) => wrap(logger.child(prepare(fields, bound)), { ...bound, ...fields }),
  };
}

/** Names every line has already: a field by one of them is renamed (`level_`), or the line would hold the key twice. */
const LINE_KEYS = new Set(['level', 'time', 'msg']);

/**
 * A shallow copy with errors made plain, text scrubbed and credential-named values redacted. A
 * field the logger is bound to already is left out when it says the same (a `userId` given again),
 * and renamed like a line's own names when it says something else: pino would write the key twice.
 */
function prepare(fields: Fields, bound: Fields): Fields {
  const out: Fields = {};
  for (const [key, value] of Object.entries(fields)) {
    const isBound = Object.hasOwn(bound, key);
    if (isBound && bound[key] === value) continue;
    out[isBound || LINE_KEYS.has(key) ? `${key}_` : key] =
      value instanceof Error ? plainError(value) : typeof value === 'string' ? scrubText(value) : value;
  }
  return redacted(out);
}

/** An error's name, message and stack (and its cause's, a few deep), which JSON.stringify would drop. */
function plainError(error: Error, depth = 0): Fields {
  const plain: Fields = { name: error.name, message: scrubText(error.message), stack: error.stack && scrubText(error.stack) };
  if (error.cause instanceof Error && depth < 3) plain.cause = plainError(error.cause, depth + 1);
  return plain;
}

let standard: DestinationStream | undefined;

/** One pair of synchronous writers for the whole process, however many loggers it makes. */
function standardStreams(): DestinationStream {
  standard ??= pino.multistream(
    [
      { level: 'debug', stream: pino.destination({ fd: 1, sync: true }) },
      { level: 'warn', stream: pino.destination({ fd: 2, sync: true }) },
    ],
    { dedupe: true },
  );
  return standard;
}

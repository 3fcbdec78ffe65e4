/** A server logger whose lines a test reads back: parsed, and as the text an operator would grep. */
import { createLogger } from '../../server/log.ts';

export type LogLine = { level: string; time: string; msg: string; requestId?: string; traceId?: string } & Record<string, unknown>;

export function capturedLog(level: Parameters<typeof createLogger>[0] = 'debug') {
  const lines: LogLine[] = [];
  const texts: string[] = [];
  const log = createLogger(level, {
    write: (text: string) => {
      texts.push(text);
      lines.push(JSON.parse(text));
    },
  });
  return { log, lines, text: () => texts.join('') };
}

/** time_now: the current time in an IANA time zone. */
import type { McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';

/** The runtime's own zone database decides: `Intl` throws a RangeError for a name it does not know. */
function isIanaTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

function utcOffset(date: Date, timeZone: string): string {
  const part = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' })
    .formatToParts(date)
    .find((p) => p.type === 'timeZoneName')?.value;
  // "GMT" alone means an offset of zero.
  return part === 'GMT' || !part ? '+00:00' : part.replace('GMT', '');
}

export function registerTimeTool(server: McpServer): void {
  server.registerTool(
    'time_now',
    {
      title: 'Current time',
      description: 'Tells the current date and time in a time zone.',
      inputSchema: z.object({
        timezone: z
          .string()
          .max(64)
          .default('UTC')
          .refine(isIanaTimeZone, { message: 'must be an IANA time zone name, such as Europe/Paris or America/New_York' })
          .describe('IANA time zone name, e.g. Europe/Paris; default UTC'),
      }),
      outputSchema: z.object({
        timezone: z.string(),
        iso: z.string().describe('UTC, ISO 8601'),
        local: z.string().describe('wall-clock time in the zone'),
        utcOffset: z.string(),
      }),
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async ({ timezone }) => {
      const now = new Date();
      const local = new Intl.DateTimeFormat('en-GB', { timeZone: timezone, dateStyle: 'full', timeStyle: 'long' }).format(now);
      const result = { timezone, iso: now.toISOString(), local, utcOffset: utcOffset(now, timezone) };
      return { content: [{ type: 'text', text: `${local} (${timezone}, UTC${result.utcOffset})` }], structuredContent: result };
    },
  );
}

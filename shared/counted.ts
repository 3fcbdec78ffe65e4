/**
 * A number with its English noun, singular for one: "1 tool", "2 tools", "0 servers". The English
 * message catalogue (shared/i18n/en.ts) counts with it, so none reads "1 tools" or "2 server(s)";
 * German counts with its own nouns in de.ts.
 */
export function counted(count: number, noun: string, plural = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : plural}`;
}

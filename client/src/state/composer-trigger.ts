/**
 * What the person is typing into the composer asks for: `/` at the very start opens the prompts,
 * `@` at the start of a word opens the resources; what follows it filters them. Pure functions,
 * tested without a browser.
 */

export type Trigger =
  | { kind: 'prompts'; query: string }
  /** `start`..`end`: the `@word` in the text, taken out when a resource is chosen. */
  | { kind: 'resources'; query: string; start: number; end: number };

export function triggerAt(text: string, caret: number): Trigger | null {
  if (/^\/\S*$/.test(text)) return { kind: 'prompts', query: text.slice(1) };
  const before = text.slice(0, caret);
  const word = /(?:^|\s)@(\S*)$/.exec(before);
  if (!word) return null;
  const query = word[1] ?? '';
  return { kind: 'resources', query, start: caret - query.length - 1, end: caret };
}

/** Whether every word of `query` is in one of `fields`, ignoring case. */
export function matches(query: string, ...fields: (string | null)[]): boolean {
  const haystack = fields.filter(Boolean).join(' ').toLowerCase();
  return query
    .toLowerCase()
    .split(/\s+/)
    .every((word) => haystack.includes(word));
}

/** Two triggers are the same while the person goes on typing into the same `/` or `@word`. */
export function sameTrigger(a: Trigger | null, b: Trigger | null): boolean {
  if (!a || !b || a.kind !== b.kind) return false;
  return a.kind === 'prompts' || (b.kind === 'resources' && a.start === b.start);
}

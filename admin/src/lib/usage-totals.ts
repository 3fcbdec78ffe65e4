/** Usage rows summed per person or per model, for the usage page's totals. */
import type { ResultOf } from '../api/graphql.ts';
import type { UsageQuery } from '../api/operations.ts';
import { personName } from './person-name.ts';

export type UsageRow = ResultOf<typeof UsageQuery>['usage'][number];

export interface UsageTotal {
  key: string;
  label: string;
  answers: number;
  inputTokens: number;
  outputTokens: number;
}

export const personOf = (row: UsageRow) => personName(row.user);

/** One total per key, in the order keys first appear; the label is the key's latest row's. */
export function totalsBy(rows: readonly UsageRow[], key: (row: UsageRow) => string, label: (row: UsageRow) => string): UsageTotal[] {
  const totals = new Map<string, UsageTotal>();
  for (const row of rows) {
    const total = totals.get(key(row)) ?? { key: key(row), label: '', answers: 0, inputTokens: 0, outputTokens: 0 };
    total.label = label(row);
    total.answers += row.answers;
    total.inputTokens += row.inputTokens;
    total.outputTokens += row.outputTokens;
    totals.set(total.key, total);
  }
  return [...totals.values()];
}

/** Today's UTC day and the one `days - 1` before it: a period of `days` days ending today. */
export function lastDays(days: number, now = new Date()): { from: string; to: string } {
  const day = (date: Date) => date.toISOString().slice(0, 10);
  return { from: day(new Date(now.getTime() - (days - 1) * 86_400_000)), to: day(now) };
}

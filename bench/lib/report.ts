/**
 * What every measurement returns: figures, each with its unit, an optional note, and the command
 * that reproduces it. `printTable` shows them; `run.ts` also writes them as JSON.
 */
export interface Figure {
  /** Which measurement, e.g. "1 turn overhead". */
  section: string;
  name: string;
  value: number | string;
  unit: string;
  note?: string;
  command: string;
  /** The top-level field of bench/results/latest.json this figure also fills (a number), if any. */
  key?: ResultKey;
}

/** The headline figures other tooling reads from latest.json, each filled by exactly one measurement. */
export const RESULT_KEYS = [
  'serverCpuPerTokenUs',
  'turnStartCpuMs',
  'bytesPerToken',
  'burstLagP99Ms',
  'addedTtftP50Ms',
  'addedTtftP99Ms',
  'memoryPerUserKiB',
  'checkpointerTurn300Ratio',
  'saturationTokensPerSec',
] as const;
export type ResultKey = (typeof RESULT_KEYS)[number];

export type Measurement = () => Promise<Figure[]>;

/** Builds figures for one section and command, so each measurement names them once. */
export function figures(section: string, command: string) {
  const list: Figure[] = [];
  return {
    add(name: string, value: number | string, unit: string, note?: string, key?: ResultKey): void {
      list.push({
        section,
        name,
        value: typeof value === 'number' ? round(value) : value,
        unit,
        command,
        ...(note ? { note } : {}),
        ...(key ? { key } : {}),
      });
    },
    list,
  };
}

function round(value: number): number {
  if (!Number.isFinite(value)) return value;
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 1 ? 2 : 4;
  return Number(value.toFixed(digits));
}

export function printTable(rows: readonly Figure[]): void {
  const cells = rows.map((f) => [f.section, f.name, `${f.value} ${f.unit}`.trim(), f.note ?? '', f.command]);
  const header = ['measurement', 'figure', 'value', 'note', 'command'];
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => c.map((text, i) => text.padEnd(widths[i]!)).join(' | ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
  for (const c of cells) console.log(line(c));
}

/** Marks the line of a measurement's output that carries its figures as JSON, for run.ts. */
export const JSON_MARK = 'BENCH-FIGURES ';

/**
 * `bun bench/<file>.ts` runs one measurement and prints its table; with `--json` (as run.ts
 * calls it) it prints the figures as one JSON line instead.
 */
export async function runAlone(measure: Measurement): Promise<void> {
  const rows = await measure();
  if (process.argv.includes('--json')) console.log(JSON_MARK + JSON.stringify(rows));
  else printTable(rows);
  process.exit(0);
}

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

/** Issue 15's targets for the headline figures; saturation has none (it is read, not aimed at). */
export const TARGETS: Partial<Record<ResultKey, string>> = {
  serverCpuPerTokenUs: '≤ 50 µs',
  turnStartCpuMs: '≤ 1.5 ms',
  bytesPerToken: '≤ 40 bytes',
  burstLagP99Ms: '≤ 50 ms',
  addedTtftP50Ms: '≤ 3 ms',
  addedTtftP99Ms: '≤ 10 ms',
  memoryPerUserKiB: '≤ 128 KiB',
  checkpointerTurn300Ratio: '≥ 2 ×',
};

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

/** Prints rows of cells as a table with padded columns; a row of one cell is a heading across it. */
function printColumns(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.filter((r) => r.length > 1).map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((text, i) => text.padEnd(widths[i]!)).join(' | ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
  for (const row of rows) console.log(row.length === 1 ? row[0] : line(row));
}

const cell = (f: Figure) => `${f.value} ${f.unit}`.trim();

export function printTable(rows: readonly Figure[]): void {
  printColumns(
    ['measurement', 'figure', 'value', 'note', 'command'],
    rows.map((f) => [f.section, f.name, cell(f), f.note ?? '', f.command]),
  );
}

/** One measurement's figures on the tree under test and on the baseline tree, or why it has none. */
export interface StepComparison {
  step: string;
  command: string;
  now: readonly Figure[] | { failed: string };
  /** Absent when no baseline was run. */
  baseline?: readonly Figure[] | { failed: string };
}

/**
 * The side-by-side table: each figure as the baseline tree gave it and as this tree gives it, with
 * the target where the figure is a headline one. Figures match by section and name; a
 * step that failed on one side shows "failed" there (its error is printed after the table).
 */
export function printComparison(steps: readonly StepComparison[], baselineLabel: string | undefined): void {
  const rows: string[][] = [];
  for (const { command, now, baseline } of steps) {
    rows.push([`${command}:`]);
    const nowFigures = 'failed' in now ? [] : now;
    const baseFigures = !baseline || 'failed' in baseline ? [] : baseline;
    const id = (f: Figure) => `${f.section}\n${f.name}`;
    const byId = new Map(baseFigures.map((f) => [id(f), f]));
    const names = [...nowFigures, ...baseFigures.filter((f) => !nowFigures.some((n) => id(n) === id(f)))];
    for (const f of names) {
      const mine = nowFigures.find((n) => id(n) === id(f));
      const theirs = byId.get(id(f));
      const nowCell = 'failed' in now ? 'failed' : mine ? cell(mine) : '—';
      const target = f.key ? (TARGETS[f.key] ?? '') : '';
      const line = [`  ${f.name}`];
      if (baselineLabel) line.push(baseline && 'failed' in baseline ? 'failed' : theirs ? cell(theirs) : '—');
      rows.push([...line, nowCell, target, (mine ?? f).note ?? '']);
    }
    if (names.length === 0) rows.push(['  no figures: the step failed']);
  }
  const header = ['figure', ...(baselineLabel ? [`today (${baselineLabel})`] : []), 'now', 'target', 'note'];
  printColumns(header, rows);
  for (const { step, now, baseline } of steps) {
    if (baseline && 'failed' in baseline) console.log(`\n${step} failed on ${baselineLabel}: ${baseline.failed}`);
    if ('failed' in now) console.log(`\n${step} FAILED on this tree: ${now.failed}`);
  }
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

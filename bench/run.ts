/**
 * `npm run bench`: every measurement, each in its own process (`bun bench/<name>.ts --json`, so no
 * run inherits another's heap or sockets), then one table, also written to bench/results/latest.json
 * with the machine and commit it came from. Loopback only; each step is bounded in time.
 *
 * Side by side: each step also runs against the server as it was before issue 15 (BASELINE below;
 * BENCH_BASELINE=<ref> for another, BENCH_BASELINE=none to skip): that commit's tree is extracted
 * with `git archive` into a temporary folder (no change to this repository's git state), with this
 * tree's node_modules linked in and this tree's bench/ copied over its own, so both sides are
 * measured by the same harness. Steps alternate (baseline, now, next step's baseline, ...) so both
 * see the same machine. A step failing on the baseline is reported, not fatal; a step measuring
 * what the baseline does not have (NOW_ONLY) runs on this tree only.
 *
 *   npm run bench                              everything, with the baseline
 *   BENCH_STEPS=turn-start,checkpointer npm run bench   some steps only (latest.json is not written)
 */
import { cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { JSON_MARK, printComparison, RESULT_KEYS, type Figure, type ResultKey, type StepComparison } from './lib/report.ts';
import { within } from './lib/stats.ts';

const STEPS = ['turn-overhead', 'concurrency', 'turn-start', 'memory', 'checkpointer', 'connect', 'cold-start', 'wire-bytes', 'cluster'];
/** Steps the baseline cannot run: it has no cluster mode. */
const NOW_ONLY = new Set(['cluster']);
/** The server before issue 15's work. */
const BASELINE = 'c90306f4f024622ca102f503b27672be395f594a';
const STEP_TIMEOUT_MS = 360_000;
const ROOT = join(import.meta.dir, '..');

async function runStep(root: string, name: string): Promise<Figure[]> {
  const child = Bun.spawn([process.execPath, join(root, 'bench', `${name}.ts`), '--json'], { cwd: root, stdout: 'pipe', stderr: 'pipe' });
  const output = Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  const [stdout, stderr, code] = await within(output, STEP_TIMEOUT_MS, name).catch((error: unknown) => {
    child.kill('SIGKILL');
    throw error;
  });
  const line = stdout.split('\n').find((l) => l.startsWith(JSON_MARK));
  if (code !== 0 || !line) throw new Error(`bench/${name}.ts exited ${code}:\n${stdout}\n${stderr}`);
  return JSON.parse(line.slice(JSON_MARK.length)) as Figure[];
}

/** Runs a step and times it; a failure comes back as its message. */
async function attempt(root: string, step: string, label: string): Promise<Figure[] | { failed: string }> {
  const start = performance.now();
  try {
    return await runStep(root, step);
  } catch (error) {
    return { failed: error instanceof Error ? error.message : String(error) };
  } finally {
    console.error(`bench: ${step} on ${label} done in ${((performance.now() - start) / 1000).toFixed(1)} s`);
  }
}

function git(...args: string[]): string {
  const result = Bun.spawnSync(['git', ...args], { cwd: ROOT });
  if (result.exitCode !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr.toString().trim()}`);
  return result.stdout.toString().trim();
}

function commit(): string {
  const dirty = git('status', '--porcelain', '--untracked-files=no') !== '';
  return `${git('rev-parse', '--short', 'HEAD')}${dirty ? ' (with uncommitted changes)' : ''}`;
}

/** The baseline's tree in a temporary folder, with this tree's node_modules and bench/. */
async function extractBaseline(ref: string): Promise<{ dir: string; commit: string }> {
  const sha = git('rev-parse', '--verify', `${ref}^{commit}`);
  const dir = mkdtempSync(join(tmpdir(), 'countersign-baseline-'));
  const archive = Bun.spawn(['git', 'archive', sha], { cwd: ROOT, stdout: 'pipe' });
  const untar = Bun.spawn(['tar', '-x', '-C', dir], { stdin: archive.stdout });
  if ((await archive.exited) !== 0 || (await untar.exited) !== 0) throw new Error(`git archive ${sha} | tar -x failed`);
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  rmSync(join(dir, 'bench'), { recursive: true, force: true });
  cpSync(join(ROOT, 'bench'), join(dir, 'bench'), {
    recursive: true,
    filter: (source) => !source.startsWith(join(ROOT, 'bench', 'results')),
  });
  return { dir, commit: sha };
}

/**
 * The headline numbers other tooling reads, one per result key, each from the figure that names
 * it. `strict`: a missing, repeated or non-numeric one is an error; otherwise it is null.
 */
function headline(figures: readonly Figure[], strict: boolean): Record<ResultKey, number | null> {
  const result = {} as Record<ResultKey, number | null>;
  for (const key of RESULT_KEYS) {
    const matches = figures.filter((f) => f.key === key);
    const value = matches[0]?.value;
    if (matches.length === 1 && typeof value === 'number') result[key] = value;
    else if (strict)
      throw new Error(`latest.json: ${key} is filled by ${matches.length} figures (${JSON.stringify(value)}); it needs exactly one number`);
    else result[key] = null;
  }
  return result;
}

const figuresOf = (outcome: StepComparison['now'] | undefined) => (outcome && !('failed' in outcome) ? outcome : []);

const started = performance.now();
// Other work on the machine skews every figure; the load before and after says how much there was.
const loadAverage = loadavg()[0]!;
const only = process.env.BENCH_STEPS?.split(',');
const steps = only ? STEPS.filter((s) => only.includes(s)) : STEPS;
const baselineRef = process.env.BENCH_BASELINE ?? BASELINE;
const baseline = baselineRef === 'none' ? undefined : await extractBaseline(baselineRef);
const baselineLabel = baseline?.commit.slice(0, 7);
const results: StepComparison[] = [];
try {
  for (const step of steps) {
    const previous = baseline && !NOW_ONLY.has(step) && (await attempt(baseline.dir, step, baselineLabel!));
    const now = await attempt(ROOT, step, 'this tree');
    results.push({ step, command: `bun bench/${step}.ts`, now, ...(previous ? { baseline: previous } : {}) });
  }
} finally {
  if (baseline) rmSync(baseline.dir, { recursive: true, force: true });
}
printComparison(results, baselineLabel);

const durationSeconds = Math.round((performance.now() - started) / 1000);
const failed = results.filter((r) => 'failed' in r.now).map((r) => r.step);
if (failed.length > 0) throw new Error(`bench: ${failed.join(', ')} failed on this tree; latest.json not written`);
if (only) {
  console.log(`\n${steps.length} of ${STEPS.length} steps in ${durationSeconds} s; latest.json is written only by a run of every step`);
  process.exit(0);
}
const figures = results.flatMap((r) => figuresOf(r.now));
const cpu = cpus();
const result = {
  ...headline(figures, true),
  loadAverage,
  loadAverageAfter: loadavg()[0]!,
  date: new Date().toISOString(),
  commit: commit(),
  machine: {
    cpus: cpu.length,
    cpuModel: cpu[0]?.model ?? 'unknown',
    memoryGb: Math.round(totalmem() / 2 ** 30),
    platform: process.platform,
    bun: Bun.version,
  },
  durationSeconds,
  figures,
  ...(baseline
    ? {
        baseline: {
          ...headline(
            results.flatMap((r) => figuresOf(r.baseline)),
            false,
          ),
          commit: baseline.commit,
          failedSteps: results.filter((r) => r.baseline && 'failed' in r.baseline).map((r) => r.step),
          figures: results.flatMap((r) => figuresOf(r.baseline)),
        },
      }
    : {}),
};
const path = join(import.meta.dir, 'results', 'latest.json');
await Bun.write(path, `${JSON.stringify(result, null, 2)}\n`);
console.log(
  `\n${figures.length} figures in ${durationSeconds} s (1-minute load average ${loadAverage.toFixed(1)} before, ${result.loadAverageAfter.toFixed(1)} after); written to ${path}`,
);

/**
 * `npm run bench`: every measurement, each in its own process (`bun bench/<name>.ts --json`, so no
 * run inherits another's heap or sockets), then one table, also written to bench/results/latest.json
 * with the machine and commit it came from. Loopback only; each step is bounded in time.
 */
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { JSON_MARK, printTable, type Figure } from './lib/report.ts';
import { within } from './lib/stats.ts';

const STEPS = ['turn-overhead', 'concurrency', 'memory', 'checkpointer', 'connect', 'cold-start', 'wire-bytes'];
const STEP_TIMEOUT_MS = 180_000;

async function runStep(name: string): Promise<Figure[]> {
  const child = Bun.spawn([process.execPath, join(import.meta.dir, `${name}.ts`), '--json'], { stdout: 'pipe', stderr: 'pipe' });
  const output = Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  const [stdout, stderr, code] = await within(output, STEP_TIMEOUT_MS, name).catch((error: unknown) => {
    child.kill('SIGKILL');
    throw error;
  });
  const line = stdout.split('\n').find((l) => l.startsWith(JSON_MARK));
  if (code !== 0 || !line) throw new Error(`bench/${name}.ts exited ${code}:\n${stdout}\n${stderr}`);
  return JSON.parse(line.slice(JSON_MARK.length)) as Figure[];
}

function commit(): string {
  const head = Bun.spawnSync(['git', 'rev-parse', '--short', 'HEAD']).stdout.toString().trim();
  const dirty = Bun.spawnSync(['git', 'status', '--porcelain', '--untracked-files=no']).stdout.toString().trim() !== '';
  return head ? `${head}${dirty ? ' (with uncommitted changes)' : ''}` : 'unknown';
}

const started = performance.now();
// Other work on the machine skews every figure; the load before and after says how much there was.
const loadBefore = loadavg()[0]!;
const figures: Figure[] = [];
for (const step of STEPS) {
  const stepStart = performance.now();
  figures.push(...(await runStep(step)));
  console.error(`bench: ${step} done in ${((performance.now() - stepStart) / 1000).toFixed(1)} s`);
}
printTable(figures);
const cpu = cpus();
const result = {
  date: new Date().toISOString(),
  commit: commit(),
  machine: {
    cpus: cpu.length,
    cpuModel: cpu[0]?.model ?? 'unknown',
    memoryGb: Math.round(totalmem() / 2 ** 30),
    platform: process.platform,
    bun: Bun.version,
  },
  loadAverage: { before: loadBefore, after: loadavg()[0]! },
  durationSeconds: Math.round((performance.now() - started) / 1000),
  figures,
};
const path = join(import.meta.dir, 'results', 'latest.json');
await Bun.write(path, `${JSON.stringify(result, null, 2)}\n`);
console.log(
  `\n${figures.length} figures in ${result.durationSeconds} s (1-minute load average ${loadBefore.toFixed(1)} before, ${result.loadAverage.after.toFixed(1)} after); written to ${path}`,
);

/**
 * 6. Cold start: from spawning `bun server/main.ts` (a fresh data folder: migrations run, the
 * catalogue is seeded, the development sign-in starts) to the first 200 from /healthz. Measured
 * with BUN_CONFIG_MAX_HTTP_REQUESTS already set, as `npm start` sets it, and without, when
 * main.ts starts itself a second time to apply it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { figures, runAlone, type Figure } from './lib/report.ts';
import { since, summarise, within } from './lib/stats.ts';

const COMMAND = 'bun bench/cold-start.ts';
const RUNS = 5;
const START_TIMEOUT_MS = 30_000;
const MAIN = join(import.meta.dir, '..', 'server', 'main.ts');

function freePort(): number {
  const probe = Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: () => new Response() });
  const port = probe.port!;
  probe.stop(true);
  return port;
}

async function healthy(url: string): Promise<boolean> {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(1_000) })).status === 200;
  } catch {
    return false;
  }
}

async function coldStart(withCap: boolean): Promise<number> {
  const dataDir = mkdtempSync(join(tmpdir(), 'countersign-bench-cold-'));
  const port = freePort();
  const env: Record<string, string | undefined> = {
    ...process.env,
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: String(port),
    DATA_DIR: dataDir,
    LOG_LEVEL: 'error',
  };
  if (withCap) env.BUN_CONFIG_MAX_HTTP_REQUESTS = '4096';
  else delete env.BUN_CONFIG_MAX_HTTP_REQUESTS;
  const start = performance.now();
  const child = Bun.spawn([process.execPath, MAIN], { env, stdout: 'ignore', stderr: 'ignore' });
  try {
    const url = `http://127.0.0.1:${port}/healthz`;
    await within(
      (async () => {
        while (!(await healthy(url))) {
          if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
          await Bun.sleep(5);
        }
      })(),
      START_TIMEOUT_MS,
      'cold start',
    );
    return since(start);
  } finally {
    child.kill('SIGTERM');
    await within(child.exited, 15_000, 'server exit').catch(() => child.kill('SIGKILL'));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function coldStartFigures(): Promise<Figure[]> {
  const out = figures('6 cold start', COMMAND);
  for (const withCap of [true, false]) {
    const samples: number[] = [];
    for (let i = 0; i < RUNS; i++) samples.push(await coldStart(withCap));
    const s = summarise(samples);
    const how = withCap ? 'cap set (npm start)' : 'cap unset: main.ts relaunches itself';
    out.add(
      `spawn → /healthz 200, ${how}`,
      `${s.p50.toFixed(0)} / ${s.max.toFixed(0)}`,
      'ms p50 / max',
      `${RUNS} runs, fresh data folder each`,
    );
  }
  return out.list;
}

await runAlone(coldStartFigures);

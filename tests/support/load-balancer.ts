/**
 * HAProxy in front of a test's instances, run from the operators' own deploy/haproxy.cfg with
 * only its addresses changed (the listening and stats ports, and one server line per instance,
 * with the committed line's check options), so the tests exercise the configuration the README
 * tells operators to run. It runs in the foreground as a child process (`haproxy -f cfg -db`).
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventually } from './eventually.ts';
import { LoggedProcess } from './logged-process.ts';
import { tempDir } from './test-server.ts';

const COMMITTED = join(import.meta.dir, '..', '..', 'deploy', 'haproxy.cfg');

export interface Backend {
  /** HAProxy's name for it, shown in its stats and logs. */
  name: string;
  port: number;
}

export interface LoadBalancer {
  /** What people open: `http://127.0.0.1:<port>`. */
  readonly url: string;
  readonly process: LoggedProcess;
  /** HAProxy's view of each backend, by name: UP, DOWN, or a transition such as "DOWN 1/2". */
  status(): Promise<Record<string, string>>;
  /** Waits until HAProxy's health checks show `name` as `state` (UP or DOWN). */
  until(name: string, state: 'UP' | 'DOWN'): Promise<void>;
  stop(): Promise<void>;
}

export async function startLoadBalancer(options: { port: number; statsPort: number; backends: Backend[] }): Promise<LoadBalancer> {
  if (!Bun.which('haproxy')) throw new Error("haproxy is not installed: `apt-get install haproxy` (Debian's package; .ci/run installs it)");
  const folder = tempDir('countersign-haproxy-');
  const configPath = join(folder, 'haproxy.cfg');
  writeFileSync(configPath, adaptConfig(await Bun.file(COMMITTED).text(), options));
  const proc = new LoggedProcess('haproxy', ['haproxy', '-f', configPath, '-db'], { ...process.env });
  const statsUrl = `http://127.0.0.1:${options.statsPort}/;csv`;

  const status = async () => {
    const csv = await (await fetch(statsUrl)).text();
    const [header, ...rows] = csv.trim().split('\n');
    const columns = (header ?? '').replace(/^# /, '').split(',');
    const [proxy, server, state] = ['pxname', 'svname', 'status'].map((name) => columns.indexOf(name));
    const states: Record<string, string> = {};
    for (const row of rows.map((line) => line.split(','))) {
      if (row[proxy!] === 'instances' && row[server!] !== 'BACKEND') states[row[server!]!] = row[state!]!;
    }
    return states;
  };
  const until = async (name: string, state: 'UP' | 'DOWN') => {
    await eventually(
      async () => {
        // Its output is reported as it exits (logged-process.ts).
        if (!proc.running) throw new Error('haproxy exited');
        return (await status().catch(() => undefined))?.[name] === state;
      },
      `HAProxy to see ${name} ${state}`,
      30_000,
    );
  };
  return {
    url: `http://127.0.0.1:${options.port}`,
    process: proc,
    status,
    until,
    async stop() {
      await proc.kill('SIGTERM');
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

/** deploy/haproxy.cfg with this run's ports; throws if the committed file no longer has the shape this relies on. */
function adaptConfig(committed: string, options: { port: number; statsPort: number; backends: Backend[] }): string {
  const sections = committed.split(/\n(?=\S)/);
  const edit = (heading: string, change: (section: string) => string) => {
    const index = sections.findIndex((section) => section.startsWith(`${heading}\n`));
    if (index < 0) throw new Error(`deploy/haproxy.cfg has no "${heading}" section`);
    const changed = change(sections[index]!);
    if (changed === sections[index]) throw new Error(`deploy/haproxy.cfg: nothing to change in "${heading}"`);
    sections[index] = changed;
  };
  edit('frontend countersign', (s) => s.replace(/^(\s+bind )\S+/m, `$1127.0.0.1:${options.port}`));
  edit('listen stats', (s) => s.replace(/^(\s+bind )\S+/m, `$1127.0.0.1:${options.statsPort}`));
  edit('backend instances', (s) => {
    const servers = [...s.matchAll(/^(\s+)server \S+ \S+(.*)$/gm)];
    const [, indent, extra] = servers[0] ?? [];
    if (indent === undefined) return s;
    const lines = options.backends.map(({ name, port }) => `${indent}server ${name} 127.0.0.1:${port}${extra}`);
    return `${s.replace(/^\s+server .*\n?/gm, '').trimEnd()}\n${lines.join('\n')}\n`;
  });
  return sections.join('\n');
}

/**
 * The CPU PostgreSQL and Redis spend for one bench run, read from outside the instances.
 *
 * PostgreSQL: the backends serving this run's connections, found by the application_name the
 * run puts in its DATABASE_URL, each one's utime + stime from /proc/<pid>/stat (PostgreSQL runs on
 * this machine). A backend that closes keeps the last figure read; one that opens counts from its
 * start. PostgreSQL's background writers, shared by every client, are not counted.
 * Redis: INFO CPU's used_cpu_user + used_cpu_sys, the whole server's: other clients of the same
 * Redis during a window count too.
 */
import { readFileSync } from 'node:fs';
import { RedisClient, SQL } from 'bun';
import type { ServiceCpu } from './server-group.ts';

/** Linux's clock ticks per second for /proc/<pid>/stat (USER_HZ, 100 on every mainstream kernel). */
const TICKS_PER_SECOND = Number(Bun.spawnSync(['getconf', 'CLK_TCK']).stdout.toString().trim()) || 100;

export interface ServiceCpuMeter {
  read(): Promise<ServiceCpu>;
  close(): Promise<void>;
}

/** CPU µs of a process from /proc, or undefined once it has gone. */
function processCpuUs(pid: number): number | undefined {
  try {
    // Fields after the command name (which may hold spaces) start at field 3; utime and stime are 14 and 15.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND) * 1e6;
  } catch {
    return undefined;
  }
}

/** The Redis server's own CPU so far, µs (INFO CPU, user + system). */
export async function redisCpuUs(redis: RedisClient): Promise<number> {
  const info = (await redis.send('INFO', ['cpu'])) as string;
  const seconds = (name: string) => Number(info.match(new RegExp(`${name}:([\\d.]+)`))?.[1] ?? Number.NaN);
  return (seconds('used_cpu_user') + seconds('used_cpu_sys')) * 1e6;
}

export function serviceCpuMeter(databaseUrl: string, applicationName: string, redisUrl: string): ServiceCpuMeter {
  const admin = new SQL({ url: databaseUrl, max: 1 });
  const redis = new RedisClient(redisUrl);
  const backends = new Map<number, number>();

  async function postgresUs(): Promise<number> {
    const rows: { pid: number }[] = await admin`SELECT pid FROM pg_stat_activity WHERE application_name = ${applicationName}`;
    for (const { pid } of rows) {
      const used = processCpuUs(pid);
      if (used !== undefined) backends.set(pid, used);
    }
    return [...backends.values()].reduce((a, b) => a + b, 0);
  }

  return {
    async read() {
      const [postgres, redisCpu] = await Promise.all([postgresUs(), redisCpuUs(redis)]);
      return { PostgreSQL: postgres, Redis: redisCpu };
    },
    async close() {
      redis.close();
      await admin.close();
    },
  };
}

/**
 * How long each statement the stores send took, told to whoever listens (slow-statement traces).
 * drizzle has no timing hook, so the driver handed to it is wrapped: bun:sqlite's prepared
 * statements, and Bun SQL's queries, timed from when they are awaited until they settle. With
 * nobody listening a statement runs as it is. The raw handles (the checkpointer's, the readiness
 * probe's) are not wrapped; checkpoint writes are timed apart (checkpointer/write-timing.ts).
 */
import type { Database, Statement } from 'bun:sqlite';
import type { SQL } from 'bun';
import { followedBy } from './listeners.ts';

export type StatementTimer = (statement: string, seconds: number) => void;

/** Where a database reports its statements' times; unset, nothing is timed. */
export interface StatementTiming {
  onStatement?: StatementTimer;
}

export function onStatement(timing: StatementTiming, listener: StatementTimer): void {
  timing.onStatement = followedBy(timing.onStatement, listener);
}

/** `target`, with each of its functions called on itself rather than on the proxy around it. */
function passThrough<T extends object>(target: T, key: string | symbol): unknown {
  const value = Reflect.get(target, key, target);
  return typeof value === 'function' ? value.bind(target) : value;
}

/** The database, its statements timed; every other use goes to the database itself. */
export function timedSqlite(db: Database, timing: StatementTiming): Database {
  return new Proxy(db, {
    get: (target, key) =>
      key === 'prepare' ? (text: string) => timedStatement(target.prepare(text), text, timing) : passThrough(target, key),
  });
}

/** What drizzle runs a prepared statement with. */
const RUNS = new Set<string | symbol>(['run', 'all', 'get', 'values']);

function timedStatement(statement: Statement, text: string, timing: StatementTiming): Statement {
  return new Proxy(statement, {
    get(target, key) {
      const value = passThrough(target, key);
      if (!RUNS.has(key)) return value;
      const run = value as (...params: unknown[]) => unknown;
      return (...params: unknown[]) => {
        const report = timing.onStatement;
        if (!report) return run(...params);
        const started = performance.now();
        try {
          return run(...params);
        } finally {
          report(text, (performance.now() - started) / 1000);
        }
      };
    },
  });
}

/** The pool, the queries drizzle sends through `unsafe` timed. */
export function timedPostgres(sql: SQL, timing: StatementTiming): SQL {
  return new Proxy(sql, {
    get: (target, key) =>
      key === 'unsafe'
        ? (text: string, params?: unknown[]) => timedQuery(target.unsafe(text, params), text, timing)
        : passThrough(target, key),
  });
}

/** Bun's queries run once awaited: the time is from then until they settle. */
function timedQuery<Q extends PromiseLike<unknown>>(query: Q, text: string, timing: StatementTiming): Q {
  const timed: Q = new Proxy(query, {
    get(target, key) {
      if (key === 'then') {
        return (onFulfilled?: (value: unknown) => unknown, onRejected?: (reason: unknown) => unknown) => {
          const report = timing.onStatement;
          if (!report) return target.then(onFulfilled, onRejected);
          const started = performance.now();
          const settled = () => report(text, (performance.now() - started) / 1000);
          return target.then(
            (value) => {
              settled();
              return onFulfilled ? onFulfilled(value) : value;
            },
            (reason: unknown) => {
              settled();
              if (onRejected) return onRejected(reason);
              throw reason;
            },
          );
        };
      }
      const value = passThrough(target, key);
      if (typeof value !== 'function') return value;
      // values(), raw() and simple() change how the query answers and return it: the timed one is returned instead.
      return (...args: unknown[]) => {
        const result = (value as (...args: unknown[]) => unknown)(...args);
        return result === target ? timed : result;
      };
    },
  });
  return timed;
}

/**
 * `/readyz`'s answer: every check run at once, each within its bound, and ready only when all pass.
 * Draining comes first and needs no probe: once shutdown starts the instance is unready at once.
 */
import { type CheckResult, type ReadinessCheck, withinBound } from './check.ts';

/** A load balancer's own check times out after a few seconds; every probe answers well before. */
export const CHECK_BOUND_MS = 2_000;

export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, CheckResult>;
}

export class Readiness {
  constructor(
    private readonly checks: readonly ReadinessCheck[],
    private readonly draining: () => boolean,
  ) {}

  async report(): Promise<ReadinessReport> {
    const draining = this.draining();
    const results = await Promise.all(this.checks.map(async (check) => [check.name, await withinBound(check, CHECK_BOUND_MS)] as const));
    const checks: Record<string, CheckResult> = {
      draining: draining ? { ok: false, reason: 'shutting down: finishing work in flight, taking no new work' } : { ok: true },
      ...Object.fromEntries(results),
    };
    return { ready: Object.values(checks).every((result) => result.ok), checks };
  }
}

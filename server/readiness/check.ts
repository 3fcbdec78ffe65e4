/**
 * One dependency `/readyz` asks about. Every check is bounded: a probe that hangs would keep a load
 * balancer's own check waiting and tell it nothing, so past its bound a check counts as failed.
 */
export interface CheckResult {
  ok: boolean;
  /** Why it failed, in a sentence an operator can act on; or what was checked when it is worth saying. */
  reason?: string;
}

export interface ReadinessCheck {
  readonly name: string;
  run(): Promise<CheckResult>;
}

/** `run`'s result, or failed with a sentence naming the bound once `ms` have passed. */
export async function withinBound(check: ReadinessCheck, ms: number): Promise<CheckResult> {
  let timer: Timer | undefined;
  const late = new Promise<CheckResult>((resolve) => {
    timer = setTimeout(resolve, ms, { ok: false, reason: `no answer within ${ms} ms` });
  });
  try {
    return await Promise.race([check.run().catch((error: unknown) => ({ ok: false, reason: (error as Error).message })), late]);
  } finally {
    clearTimeout(timer);
  }
}

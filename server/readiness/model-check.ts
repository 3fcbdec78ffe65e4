/**
 * The default catalogue model's endpoint is reachable. Reachable, not working: any HTTP answer
 * below 500 (a 401 or 404 included) shows the server is up, and no key is sent, so probes cost the
 * provider nothing and never show in its usage. The answer is kept for a while, so a balancer
 * probing every few seconds from every instance does not hammer the endpoint.
 */
import type { CheckResult, ReadinessCheck } from './check.ts';

/** How long one answer about an endpoint stands. */
const MODEL_CHECK_TTL_MS = 30_000;

/** What the check needs of the catalogue's default entry; undefined when no model is enabled. */
export interface DefaultModel {
  name: string;
  provider: 'demo' | 'openai' | 'azure-ad';
  baseUrl: string | null;
}

export function modelCheck(defaultModel: () => Promise<DefaultModel | undefined>, boundMs: number): ReadinessCheck {
  let cached: { url: string; at: number; result: Promise<CheckResult> } | undefined;
  const probe = async (model: DefaultModel, url: string): Promise<CheckResult> => {
    // Anyone who reaches /readyz reads its reasons: the host says where, a path or query might say more.
    const where = `${model.name} at ${new URL(url).origin}`;
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(boundMs), redirect: 'manual' });
      await response.body?.cancel();
      if (response.status < 500) return { ok: true, reason: `${where} answered HTTP ${response.status}` };
      return { ok: false, reason: `${where} answered HTTP ${response.status}` };
    } catch (error) {
      return { ok: false, reason: `${where} is not reachable: ${(error as Error).message}` };
    }
  };
  return {
    name: 'model',
    async run() {
      const model = await defaultModel().catch(() => null);
      if (model === null) return { ok: false, reason: 'the model catalogue could not be read from the database' };
      // Nothing to reach: people are told in the chat, and an admin must still reach the console to add one.
      if (!model) return { ok: true, reason: 'no model in the catalogue is enabled' };
      if (model.provider === 'demo' || !model.baseUrl) return { ok: true, reason: `${model.name} answers inside this process` };
      const url = model.baseUrl;
      if (!cached || cached.url !== url || Date.now() - cached.at > MODEL_CHECK_TTL_MS)
        cached = { url, at: Date.now(), result: probe(model, url) };
      return cached.result;
    },
  };
}

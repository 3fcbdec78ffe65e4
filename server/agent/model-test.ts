/**
 * "Test model" in the console: one short request with the given settings, nothing saved. A
 * failure comes back in the words a failed run uses (agent/failure.ts); the full error is logged.
 */
import { HumanMessage } from '@langchain/core/messages';
import { describeRunFailure } from './failure.ts';
import { createChatModel } from './model.ts';
import type { Config } from '../config.ts';
import { endpointFor, type ModelSettings } from '../llm/endpoint.ts';
import type { Logger } from '../log.ts';

export interface ModelTestResult {
  ok: boolean;
  error: string | null;
  /** The start of what the model said. */
  reply: string | null;
  durationMs: number;
}

/** Enough for "OK" from any model; the test is whether it answers at all. */
const TEST_MAX_TOKENS = 16;
const MAX_REPLY = 200;

export async function testModel(settings: ModelSettings, config: Pick<Config, 'llm' | 'auth'>, log: Logger): Promise<ModelTestResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  try {
    // No retries: the admin is waiting on a button, and a retried failure reads the same.
    const endpoint = endpointFor(settings, config, { retry: { retries: 0 } });
    const model = createChatModel(endpoint, log, { maxTokens: TEST_MAX_TOKENS });
    const answer = await model.invoke([new HumanMessage('Reply with the single word OK.')]);
    return { ok: true, error: null, reply: answer.text.slice(0, MAX_REPLY), durationMs: elapsed() };
  } catch (error) {
    log.info('model test failed', { provider: settings.provider, baseUrl: settings.baseUrl, error });
    return { ok: false, error: describeRunFailure(error), reply: null, durationMs: elapsed() };
  }
}

/**
 * `completion/complete` through a person's connection: suggestions for one argument of a prompt,
 * or one variable of a resource template, given what the person has typed into it and the
 * arguments filled in so far. A server that does not declare completions suggests nothing.
 */
import { failureOf, type Outcome } from './request-outcome.ts';
import type { ToolClient } from './transports.ts';

/** What the argument belongs to: a prompt by name, or a resource template by its URI template. */
export type CompletionRef = { type: 'prompt'; name: string } | { type: 'resource'; uri: string };

export interface CompletionRequest {
  ref: CompletionRef;
  argument: { name: string; value: string };
  /** The other arguments the person has filled in, which may narrow the suggestions. */
  context?: Record<string, string>;
}

export type Completion = Outcome<{ values: string[]; hasMore: boolean }>;

/** The spec's cap on the values of one completion; a longer answer is cut to it. */
const MAX_VALUES = 100;

export async function complete(client: ToolClient, serverName: string, request: CompletionRequest, timeoutMs: number): Promise<Completion> {
  if (!client.getServerCapabilities()?.completions) return { ok: true, values: [], hasMore: false };
  const { ref, argument, context } = request;
  try {
    const { completion } = await client.complete(
      {
        ref: ref.type === 'prompt' ? { type: 'ref/prompt', name: ref.name } : { type: 'ref/resource', uri: ref.uri },
        argument,
        ...(context ? { context: { arguments: context } } : {}),
      },
      { timeout: timeoutMs },
    );
    const values = completion.values.slice(0, MAX_VALUES);
    return { ok: true, values, hasMore: Boolean(completion.hasMore) || completion.values.length > MAX_VALUES };
  } catch (error) {
    return failureOf(error, serverName, `ask ${serverName} to complete ${argument.name}`, timeoutMs);
  }
}

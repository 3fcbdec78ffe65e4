/**
 * A span per chat run (`agent.run`), the parent of the run's graph nodes. A turn that stops for
 * an approval continues in a second request (chats.decide), and the person's whole turn should
 * read as one trace: the run that asked keeps its span context here, by thread, and the run that
 * resumes is its child, with a link to the decide request's span. Kept in this process only: a
 * decision after a restart, or on another instance, starts a trace of its own (still linked).
 */
import { context, type Link, type SpanContext, trace } from '@opentelemetry/api';
import { inSpan } from './spans.ts';

/** Runs waiting for a decision; the oldest are forgotten past this, as approvals nobody answers would otherwise pile up. */
const MAX_WAITING = 10_000;
const asking = new Map<string, SpanContext>();

/** `work` resolves to what the run stopped for (an approval), or undefined when it finished. */
export function inRunSpan<T>(threadId: string, resumes: boolean, work: () => Promise<T | undefined>): Promise<T | undefined> {
  const asked = resumes ? asking.get(threadId) : undefined;
  asking.delete(threadId);
  const request = trace.getSpanContext(context.active());
  const links: Link[] = asked && request ? [{ context: request }] : [];
  const parent = asked ? trace.setSpanContext(context.active(), asked) : context.active();
  return inSpan(
    'agent.run',
    { links, attributes: { 'countersign.run.resumes': resumes } },
    async (span) => {
      const stopped = await work();
      span.setAttribute('countersign.run.outcome', stopped === undefined ? 'finished' : 'awaiting_approval');
      if (stopped !== undefined && span.isRecording()) remember(threadId, span.spanContext());
      return stopped;
    },
    parent,
  );
}

function remember(threadId: string, span: SpanContext): void {
  asking.set(threadId, span);
  if (asking.size > MAX_WAITING) asking.delete(asking.keys().next().value!);
}

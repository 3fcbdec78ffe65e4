/**
 * Settling a batch of proposed calls: every call gets its decision recorded in the audit log and
 * exactly one ToolMessage back to the model; approved calls run (in parallel), at most once.
 * Only the `tools` and `humane` nodes call this: side effects live there, never in `approval`.
 */
import { ToolMessage } from '@langchain/core/messages';
import type { DecidedBy, ToolCallCard, ToolDecision } from '../../../shared/chat-events.ts';
import type { AuditOutcome } from '../../audit/audit-store.ts';
import { canonicalJson } from '../../canonical-json.ts';
import { proposedCard } from '../cards.ts';
import { notRunText } from '../prompts.ts';
import type { AgentStateValue, ApprovalResume, PlannedCall, RejectedCall } from '../state.ts';
import { resultText } from '../result-text.ts';
import { cardMedia } from '../tool-media.ts';
import type { PersonQuestions, ToolCallResult } from '../tool-port.ts';
import { personQuestions } from '../person-questions.ts';
import { chatToolView } from '../tool-view.ts';
import { runSignal, sinkOf, turnOf, type GraphDeps, type NodeConfig, type ToolEvent } from './runtime.ts';

interface Verdict {
  decision: ToolDecision;
  decidedBy: DecidedBy;
  decidedAt: string;
  reason?: string;
  /** The arguments it runs with: the person's edit, or the model's. */
  arguments: Record<string, unknown>;
  notRun?: 'rejected' | 'denied' | 'repeated';
}

const byPolicy: DecidedBy = { kind: 'policy' };

function verdictFor(planned: PlannedCall, approval: ApprovalResume | null, now: string): Verdict {
  const base = { decidedBy: byPolicy, decidedAt: now, reason: planned.reason, arguments: planned.arguments };
  switch (planned.disposition) {
    case 'auto':
      return { ...base, decision: 'auto' };
    case 'denied':
      return { ...base, decision: 'denied', notRun: 'denied' };
    case 'repeated':
      return { ...base, decision: 'rejected', notRun: 'repeated' };
    case 'ask': {
      const decision = approval?.byCall[planned.toolCallId];
      // An asked call nobody decided does not run: approval gates default to "no".
      if (!approval || !decision) return { ...base, decision: 'rejected', reason: 'no decision was given', notRun: 'rejected' };
      const person = { ...base, decidedBy: approval.decidedBy, decidedAt: approval.decidedAt };
      if (decision.action === 'approve') return { ...person, decision: 'approved' };
      if (decision.action === 'edit') return { ...person, decision: 'edited', arguments: decision.arguments };
      return { ...person, decision: 'rejected', reason: decision.reason || undefined, notRun: 'rejected' };
    }
  }
}

/** True when at least one call of the plan would run with these decisions. */
export function anyCallRuns(plan: readonly PlannedCall[], approval: ApprovalResume | null): boolean {
  const now = new Date().toISOString();
  return plan.some((planned) => !verdictFor(planned, approval, now).notRun);
}

export interface SettledBatch {
  messages: ToolMessage[];
  rejectedThisTurn: RejectedCall[];
  /** Calls whose server wants the person to sign in first: not run, and not answered yet. */
  waiting: PlannedCall[];
}

export async function settleBatch(deps: GraphDeps, state: AgentStateValue, config: NodeConfig): Promise<SettledBatch> {
  const turn = turnOf(config);
  const { tool: emit } = sinkOf(config);
  const signal = runSignal(config);
  const now = new Date().toISOString();
  // Checked again now: a tool removed or denied since it was proposed does not run.
  const view = chatToolView(deps.tools, turn);
  const rejectedThisTurn = [...state.rejectedThisTurn];

  const waiting: PlannedCall[] = [];
  const settled = await Promise.all(
    state.plan.map(async (planned): Promise<ToolMessage | undefined> => {
      const verdict = verdictFor(planned, state.decisions, now);
      await deps.audit.recordDecision({
        userId: turn.userId,
        chatId: turn.chatId,
        serverId: planned.tool?.serverId ?? null,
        serverName: planned.tool?.serverName ?? '(none)',
        tool: planned.tool?.name ?? planned.uniqueName,
        toolCallId: planned.toolCallId,
        arguments: verdict.arguments,
        decision: verdict.decision,
        decidedBy: verdict.decidedBy.kind === 'person' ? verdict.decidedBy.userId : 'policy',
        reason: verdict.reason ?? null,
        requestedAt: new Date(state.proposedAt ?? now),
        decidedAt: new Date(verdict.decidedAt),
      });
      const card = settledCard(planned, verdict);
      if (verdict.notRun) {
        if (verdict.notRun === 'rejected') {
          rejectedThisTurn.push({
            uniqueName: planned.uniqueName,
            argumentsKey: canonicalJson(planned.arguments),
            reason: verdict.reason ?? 'no reason given',
          });
        }
        const status = verdict.notRun === 'denied' ? 'denied' : 'rejected';
        return notRun(planned, { ...card, status }, notRunText(verdict.notRun, verdict.reason), emit);
      }
      const tool = view.get(planned.uniqueName)?.tool;
      if (!tool) {
        await deps.audit.recordFinish(planned.toolCallId, { outcome: 'skipped', error: 'tool no longer available', at: new Date() });
        return notRun(planned, { ...card, status: 'not_run' }, notRunText('gone'), emit);
      }
      const questions = personQuestions(deps, turn, {
        toolCallId: planned.toolCallId,
        serverId: tool.serverId,
        serverName: tool.serverName,
      });
      const message = await runCall(deps, questions, planned, card, signal, emit);
      if (!message) waiting.push({ ...planned, awaitingSignIn: true });
      return message;
    }),
  );
  const messages = settled.filter((message): message is ToolMessage => message !== undefined);
  return { messages, rejectedThisTurn, waiting };
}

function settledCard(planned: PlannedCall, verdict: Verdict): ToolCallCard {
  return {
    ...proposedCard(planned),
    arguments: verdict.arguments,
    ...(verdict.decision === 'edited' ? { proposedArguments: planned.arguments } : {}),
    decision: verdict.decision,
    decidedBy: verdict.decidedBy,
    decidedAt: verdict.decidedAt,
    reason: verdict.reason,
  };
}

function notRun(planned: PlannedCall, card: ToolCallCard, text: string, emit: (e: ToolEvent) => void): ToolMessage {
  const settled = { ...card, result: text };
  emit({ type: 'tool_finished', toolCallId: planned.toolCallId, card: settled });
  return new ToolMessage({ tool_call_id: planned.toolCallId, content: text, status: 'error', artifact: { card: settled } });
}

async function runCall(
  deps: GraphDeps,
  questions: PersonQuestions,
  planned: PlannedCall,
  card: ToolCallCard,
  signal: AbortSignal,
  emit: (e: ToolEvent) => void,
): Promise<ToolMessage | undefined> {
  const startedAt = new Date();
  if (!(await deps.audit.claimStart(planned.toolCallId, startedAt))) {
    // Started before the server stopped: its result is lost, and running it again could do it twice.
    await deps.audit.recordInterrupted(planned.toolCallId);
    return notRun(planned, { ...card, status: 'not_run' }, notRunText('already_started'), emit);
  }
  const running: ToolCallCard = { ...card, status: 'running', startedAt: startedAt.toISOString() };
  emit({ type: 'tool_started', toolCallId: planned.toolCallId, card: running });

  let result: ToolCallResult;
  try {
    result = await deps.caller.callTool(planned.uniqueName, card.arguments, {
      signal,
      questions,
      onProgress: (p) => emit({ type: 'tool_progress', toolCallId: planned.toolCallId, ...p }),
    });
  } catch (error) {
    // The seam promises results, not throws; a throw is still reported, never lost.
    result = { ok: false, kind: signal.aborted ? 'cancelled' : 'error', message: error instanceof Error ? error.message : String(error) };
  }
  if (!result.ok && result.kind === 'needs-sign-in') {
    // Refused before it reached the tool: it waits for the person to sign in, then runs (undefined: no answer yet).
    await deps.audit.releaseStart(planned.toolCallId);
    emit({ type: 'tool_started', toolCallId: planned.toolCallId, card: { ...card, status: 'awaiting_sign_in', result: result.message } });
    return undefined;
  }
  const finishedAt = new Date();
  const outcome = outcomeOf(result, signal);
  await deps.audit.recordFinish(planned.toolCallId, {
    outcome,
    error: result.ok ? null : result.message,
    at: finishedAt,
  });
  const text = resultText(result);
  const { media, structured, leftOut } = cardMedia(result);
  const finished: ToolCallCard = {
    ...running,
    status: result.ok ? 'succeeded' : outcome === 'cancelled' ? 'cancelled' : 'failed',
    finishedAt: finishedAt.toISOString(),
    // What the card could not show is said to the person only: the model reads the tool's own text.
    result: [text, ...leftOut].filter(Boolean).join('\n'),
    ...(media.length > 0 ? { media } : {}),
    ...(structured !== undefined ? { structured } : {}),
  };
  emit({ type: 'tool_finished', toolCallId: planned.toolCallId, card: finished });
  return new ToolMessage({
    tool_call_id: planned.toolCallId,
    content: text,
    status: result.ok ? 'success' : 'error',
    artifact: { card: finished },
  });
}

function outcomeOf(result: ToolCallResult, signal: AbortSignal): AuditOutcome {
  if (result.ok) return 'ok';
  if (signal.aborted || result.kind === 'cancelled') return 'cancelled';
  return result.kind === 'timeout' ? 'timeout' : 'error';
}

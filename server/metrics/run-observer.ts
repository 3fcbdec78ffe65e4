/** Counts what chat runs do (agent/run-stream.ts RunObserver): text streamed, tool calls finished, decisions, failures. */
import type { ApprovalDecision } from '../../shared/chat-events.ts';
import { runFailureKind } from '../agent/failure.ts';
import type { RunObserver } from '../agent/run-stream.ts';
import type { CountersignMetrics, DECISION_OUTCOMES } from './countersign-metrics.ts';

const OUTCOME_OF: Record<ApprovalDecision['action'], (typeof DECISION_OUTCOMES)[number]> = {
  approve: 'approved',
  edit: 'edited',
  reject: 'rejected',
};

export function countingRuns(metrics: CountersignMetrics): RunObserver {
  return {
    event(event) {
      if (event.type === 'token') metrics.tokensStreamed.inc();
      else if (event.type === 'tool_finished') metrics.toolCalls.inc({ server: event.card.tool.serverName, outcome: event.card.status });
    },
    failed(error) {
      metrics.modelErrors.inc({ kind: runFailureKind(error) });
    },
    decided(decisions) {
      for (const decision of decisions) metrics.approvalDecisions.inc({ outcome: OUTCOME_OF[decision.action] });
    },
  };
}

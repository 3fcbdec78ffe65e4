/**
 * `approval`: asks a person about the calls the policy does not run by itself, then routes.
 * Only interrupt() and routing live here: LangGraph runs this node again from the top when it
 * resumes, so anything before interrupt() would happen twice. Never wrap interrupt() in try/catch:
 * it pauses the graph by throwing.
 */
import { Command, interrupt } from '@langchain/langgraph';
import type { PendingApproval } from '../../../shared/chat-events.ts';
import { approvalItemOf } from '../cards.ts';
import type { AgentStateValue, ApprovalResume } from '../state.ts';
import { anyCallRuns } from './settle.ts';

/** What the interrupt carries (here, and in `signIn`); the handler adds the thread and interrupt ids to make a PendingApproval. */
export type ApprovalRequest = Omit<PendingApproval, 'threadId' | 'interruptId'>;

export function approvalNode(state: AgentStateValue) {
  const request: ApprovalRequest = {
    requestedAt: state.proposedAt ?? new Date(0).toISOString(),
    items: state.plan.filter((planned) => planned.disposition === 'ask').map(approvalItemOf),
  };
  const approval = interrupt<ApprovalRequest, ApprovalResume>(request);
  // Everything rejected: nothing runs, and the model writes a humane reply instead.
  return new Command({ update: { decisions: approval }, goto: anyCallRuns(state.plan, approval) ? 'tools' : 'humane' });
}

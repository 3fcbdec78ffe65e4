/**
 * `signIn`: calls were decided, and their servers want the person to sign in first. The run waits
 * here, like an approval (surviving reloads and restarts), until the person either signs in and
 * tries them again (`approve`), or lets them go (`reject`): those are answered as not run, and the
 * model goes on without them. As in `approval`, nothing before interrupt() has side effects, since
 * the node runs again from the top when it resumes.
 */
import { ToolMessage } from '@langchain/core/messages';
import { Command, interrupt } from '@langchain/langgraph';
import type { SignInWait, ToolCallCard } from '../../../shared/chat-events.ts';
import { approvalItemOf, proposedCard } from '../cards.ts';
import { notRunText } from '../prompts.ts';
import type { AgentStateValue, ApprovalResume } from '../state.ts';
import type { ApprovalRequest } from './approval.ts';
import { sinkOf, type GraphDeps, type NodeConfig } from './runtime.ts';

export function signInNode(deps: GraphDeps) {
  return async function signIn(state: AgentStateValue, config: NodeConfig) {
    const servers = new Map<string, SignInWait>();
    for (const { tool } of state.plan) if (tool) servers.set(tool.serverId, { serverId: tool.serverId, serverName: tool.serverName });
    const request: ApprovalRequest = {
      requestedAt: state.proposedAt ?? new Date(0).toISOString(),
      items: state.plan.map(approvalItemOf),
      signIn: [...servers.values()],
    };
    const answer = interrupt<ApprovalRequest, ApprovalResume>(request);

    const retried = state.plan.filter((planned) => answer.byCall[planned.toolCallId]?.action !== 'reject');
    const letGo = state.plan.filter((planned) => !retried.includes(planned));
    const { tool: emit } = sinkOf(config);
    const messages = await Promise.all(
      letGo.map(async (planned) => {
        const text = notRunText('not_signed_in', planned.tool?.serverName);
        await deps.audit.recordFinish(planned.toolCallId, { outcome: 'skipped', error: text, at: new Date() });
        const card: ToolCallCard = { ...proposedCard(planned), status: 'not_run', result: text };
        emit({ type: 'tool_finished', toolCallId: planned.toolCallId, card });
        return new ToolMessage({ tool_call_id: planned.toolCallId, content: text, status: 'error', artifact: { card } });
      }),
    );
    if (retried.length === 0) return new Command({ update: { messages, plan: [], decisions: null, proposedAt: null }, goto: 'llm' });
    return new Command({ update: { messages, plan: retried }, goto: 'tools' });
  };
}

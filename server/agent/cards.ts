/** Plain DTOs (shared/chat-events.ts) built from planned calls: approval items and tool-call cards. */
import type { ApprovalItem, ToolCallCard, ToolRef } from '../../shared/chat-events.ts';
import type { PlannedCall } from './state.ts';

function toolRefOf(planned: PlannedCall): ToolRef {
  const tool = planned.tool;
  return {
    serverId: tool?.serverId ?? null,
    serverName: tool?.serverName ?? '(none)',
    uniqueName: planned.uniqueName,
    name: tool?.name ?? planned.uniqueName,
    title: tool?.title ?? planned.uniqueName,
  };
}

export function approvalItemOf(planned: PlannedCall): ApprovalItem {
  return {
    toolCallId: planned.toolCallId,
    tool: toolRefOf(planned),
    description: planned.tool?.description ?? '',
    arguments: planned.arguments,
    annotations: planned.tool?.annotations ?? {},
    inputSchema: planned.tool?.inputSchema ?? {},
    reason: planned.reason,
  };
}

/** The card of a call the model just proposed, before anything ran. */
export function proposedCard(planned: PlannedCall): ToolCallCard {
  const card: ToolCallCard = {
    toolCallId: planned.toolCallId,
    tool: toolRefOf(planned),
    arguments: planned.arguments,
    status: planned.awaitingSignIn ? 'awaiting_sign_in' : planned.disposition === 'ask' ? 'awaiting_approval' : 'proposed',
    reason: planned.reason,
  };
  return card;
}

/**
 * Which tools a decision may "always allow" in its chat from now on: only tools the person saw in
 * that approval and let run (approved or edited). A name the approval did not show, or a call
 * the same decision rejected, is never allowed this way.
 */
import type { ApprovalDecision } from '../../shared/chat-events.ts';
import type { ApprovalRequest } from './nodes/approval.ts';

export function alwaysAllowable(
  request: ApprovalRequest,
  byCall: Readonly<Record<string, ApprovalDecision>>,
  asked: readonly string[],
): string[] {
  const letRun = new Set(request.items.filter((item) => byCall[item.toolCallId]?.action !== 'reject').map((item) => item.tool.uniqueName));
  return [...new Set(asked)].filter((tool) => letRun.has(tool));
}

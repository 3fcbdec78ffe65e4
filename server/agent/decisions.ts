/**
 * Checks a person's decisions against the approval they answer, before anything resumes: every
 * asked call decided exactly once, nothing else, and edited arguments valid for the tool's schema.
 * A refused decision leaves the approval pending, so the person can correct it.
 */
import type { ApprovalDecision } from '../../shared/chat-events.ts';
import { checkArguments } from '../../shared/check-arguments.ts';
import { LIMITS } from '../../shared/limits.ts';
import { DomainError } from '../domain-error.ts';
import type { ApprovalRequest } from './nodes/approval.ts';

export function resolveDecisions(request: ApprovalRequest, decisions: readonly ApprovalDecision[]): Record<string, ApprovalDecision> {
  const items = new Map(request.items.map((item) => [item.toolCallId, item]));
  const byCall: Record<string, ApprovalDecision> = {};
  for (const decision of decisions) {
    const item = items.get(decision.toolCallId);
    if (!item) throw new DomainError('invalid_decision', `Tool call ${decision.toolCallId} is not part of this approval.`);
    if (byCall[decision.toolCallId]) throw new DomainError('invalid_decision', `Tool call ${decision.toolCallId} was decided twice.`);
    if (request.signIn && decision.action === 'edit') {
      throw new DomainError(
        'invalid_decision',
        `${item.tool.title} was already decided and waits for a sign-in: try it again (approve) or let it go (reject).`,
      );
    }
    if (decision.action === 'edit') {
      const check = checkArguments(item.inputSchema, decision.arguments);
      if (!check.ok) {
        throw new DomainError(
          'invalid_decision',
          `The edited arguments for ${item.tool.title} do not fit the tool's input schema: ${check.problems.join('; ')}`,
        );
      }
    }
    byCall[decision.toolCallId] =
      decision.action === 'reject' ? { ...decision, reason: decision.reason?.trim().slice(0, LIMITS.reason) || undefined } : decision;
  }
  const undecided = request.items.filter((item) => !byCall[item.toolCallId]);
  if (undecided.length > 0) {
    throw new DomainError(
      'invalid_decision',
      `Decide every call in the approval; missing: ${undecided.map((i) => i.tool.title).join(', ')}.`,
    );
  }
  return byCall;
}

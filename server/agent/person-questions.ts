/**
 * What one tool call offers its server as "the person": questions shown in the call's chat,
 * under its card, answered there. Links other than http(s) are declined unseen: a person is never
 * asked to open a `javascript:` or `file:` link.
 *
 * While a round-trip question waits (the server holds nothing: a 2026 `input_required` round),
 * the call is not started in the audit log. If the process stops meanwhile, Retry makes the call
 * again from the start and the server asks again, instead of the call's result being unknown; the
 * start is claimed again before the answer goes back.
 */
import type { QuestionAnswer } from '../../shared/questions.ts';
import type { QuestionPlace } from './question-port.ts';
import type { GraphDeps } from './nodes/runtime.ts';
import { sampleForServer } from './sampling.ts';
import type { ElicitationReply, ElicitationRequest, PersonQuestions } from './tool-port.ts';
import type { TurnContext } from './tool-view.ts';

export interface AskingCall {
  toolCallId: string;
  serverId: string;
  serverName: string;
}

export function personQuestions(deps: GraphDeps, turn: TurnContext, call: AskingCall): PersonQuestions {
  const place: QuestionPlace = { userId: turn.userId, chatId: turn.chatId, threadId: turn.threadId };
  return {
    chatId: turn.chatId,
    elicit: async (request, signal) => {
      const question = elicitationQuestion(call, request);
      if (!question) return { action: 'decline' };
      return whileNothingRuns(deps, call.toolCallId, request.roundTrip, async () =>
        elicitationReply(await deps.questions.ask(place, question, signal)),
      );
    },
    sample: (request, signal) =>
      whileNothingRuns(deps, call.toolCallId, request.roundTrip, () => sampleForServer(deps, place, call, request, signal)),
  };
}

async function whileNothingRuns<T>(deps: GraphDeps, toolCallId: string, roundTrip: boolean, answer: () => Promise<T>): Promise<T> {
  if (!roundTrip) return answer();
  await deps.audit.releaseStart(toolCallId);
  const answered = await answer();
  if (!(await deps.audit.claimStart(toolCallId, new Date())))
    throw new Error('the call was made again while the server waited for the answer');
  return answered;
}

function elicitationQuestion(call: AskingCall, request: ElicitationRequest) {
  if (request.mode === 'form') {
    const { message, requestedSchema } = request;
    return { kind: 'elicitation' as const, ...call, mode: 'form' as const, message, requestedSchema };
  }
  const url = URL.parse(request.url);
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) return undefined;
  return { kind: 'elicitation' as const, ...call, mode: 'url' as const, message: request.message, url: url.href, domain: url.hostname };
}

function elicitationReply(answer: QuestionAnswer): ElicitationReply {
  if (answer.action === 'accept') return answer.content ? { action: 'accept', content: answer.content } : { action: 'accept' };
  return { action: answer.action === 'decline' ? 'decline' : 'cancel' };
}

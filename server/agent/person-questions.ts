/**
 * What one tool call offers its server as "the person": questions shown in the call's chat,
 * under its card, answered there. Links other than http(s) are declined unseen: a person is never
 * asked to open a `javascript:` or `file:` link.
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
      return elicitationReply(await deps.questions.ask(place, question, signal));
    },
    sample: (request, signal) => sampleForServer(deps, place, call, request, signal),
  };
}

function elicitationQuestion(call: AskingCall, request: ElicitationRequest) {
  if (request.mode === 'form') return { kind: 'elicitation' as const, ...call, ...request };
  const url = URL.parse(request.url);
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) return undefined;
  return { kind: 'elicitation' as const, ...call, mode: 'url' as const, message: request.message, url: url.href, domain: url.hostname };
}

function elicitationReply(answer: QuestionAnswer): ElicitationReply {
  if (answer.action === 'accept') return answer.content ? { action: 'accept', content: answer.content } : { action: 'accept' };
  return { action: answer.action === 'decline' ? 'decline' : 'cancel' };
}

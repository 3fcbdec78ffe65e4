/**
 * A server's sampling request, run with the chat's model under human control (MCP's guidance for
 * sampling): where the admin's policy says "ask", the person approves the request, and then the
 * model's reply before it goes back; where it says "allowed", it runs without asking. The reply
 * is capped at the smaller of the server's and the admin's token limits.
 */
import { AIMessage, HumanMessage, SystemMessage } from '@langchain/core/messages';
import type { AskingCall } from './person-questions.ts';
import type { QuestionPlace } from './question-port.ts';
import type { GraphDeps } from './nodes/runtime.ts';
import type { SamplingReply, SamplingRequest } from './tool-port.ts';

/** OpenAI's finish reasons in MCP's words; others pass through as they are. */
const STOP_REASONS: Record<string, string> = { stop: 'endTurn', length: 'maxTokens', content_filter: 'contentFilter' };

export async function sampleForServer(
  deps: GraphDeps,
  place: QuestionPlace,
  call: AskingCall,
  request: SamplingRequest,
  signal: AbortSignal,
): Promise<SamplingReply> {
  const { messages, systemPrompt, modelPreferences, maxTokens } = request;
  const shown = { kind: 'sampling' as const, ...call, messages, systemPrompt, modelPreferences, maxTokens };
  if (request.policy === 'ask') {
    const asked = await deps.questions.ask(place, { ...shown, stage: 'request' }, signal);
    if (asked.action !== 'approve') return { action: 'rejected', reason: `The person did not let ${call.serverName} use the model.` };
  }

  const model = deps.samplingModel(maxTokens);
  const reply = await model.invoke(
    [
      ...(systemPrompt ? [new SystemMessage(systemPrompt)] : []),
      ...messages.map((message) => (message.role === 'user' ? new HumanMessage(message.text) : new AIMessage(message.text))),
    ],
    // The server's temperature is not passed: the chat's model runs as the operator configured it.
    { signal, stop: request.stopSequences },
  );
  const metadata = reply.response_metadata as { model_name?: string; model?: string; finish_reason?: string };
  const finish = metadata.finish_reason;
  const result = {
    text: reply.text,
    model: metadata.model_name ?? metadata.model ?? 'the chat model',
    ...(finish ? { stopReason: STOP_REASONS[finish] ?? finish } : {}),
  };

  if (request.policy === 'ask') {
    const sent = await deps.questions.ask(place, { ...shown, stage: 'result', result }, signal);
    if (sent.action !== 'approve')
      return { action: 'rejected', reason: `The person did not send the model's reply to ${call.serverName}.` };
  }
  return { action: 'sent', ...result };
}

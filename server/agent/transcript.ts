/** The conversation as the model is shown it, which may differ from what the checkpoint keeps. */
import { AIMessage, ToolMessage, type BaseMessage } from '@langchain/core/messages';
import { stoppedBeforeResultText } from './prompts.ts';

/**
 * A run stopped mid-tools leaves calls without results, which chat-completions APIs refuse;
 * the model is told those calls have no result (the checkpoint itself is left as it was).
 */
export function withClosedToolCalls(messages: BaseMessage[]): BaseMessage[] {
  const answered = new Set(messages.filter((m) => ToolMessage.isInstance(m)).map((m) => m.tool_call_id));
  return messages.flatMap((message) => {
    if (!AIMessage.isInstance(message) || !message.tool_calls?.length) return [message];
    const open = message.tool_calls.filter((call) => call.id && !answered.has(call.id));
    return [message, ...open.map((call) => new ToolMessage({ tool_call_id: call.id!, content: stoppedBeforeResultText, status: 'error' }))];
  });
}

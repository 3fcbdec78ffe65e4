/**
 * `humane`: nothing the model proposed will run (the person rejected it, or it was a call they had
 * already rejected). The calls are answered and audited, and the model — offered no tools —
 * writes a kind reply. Then the turn ends.
 */
import { AIMessage, SystemMessage } from '@langchain/core/messages';
import { humanePrompt } from '../prompts.ts';
import { messageIdForTask, type AgentStateUpdate, type AgentStateValue } from '../state.ts';
import { withClosedToolCalls } from '../transcript.ts';
import { streamReply } from './reply-stream.ts';
import { sinkOf, type GraphDeps, type NodeConfig } from './runtime.ts';
import { settleBatch } from './settle.ts';

export function humaneNode(deps: GraphDeps) {
  return async function humane(state: AgentStateValue, config: NodeConfig): Promise<AgentStateUpdate> {
    const settled = await settleBatch(deps, state, config);
    const messageId = messageIdForTask(config.metadata?.langgraph_checkpoint_ns);
    const reply = await streamReply(
      deps.model,
      [new SystemMessage(humanePrompt), ...withClosedToolCalls([...state.messages, ...settled.messages])],
      messageId,
      config,
    );
    const message = new AIMessage({
      id: messageId,
      content: reply.content,
      response_metadata: reply.response_metadata,
      usage_metadata: reply.usage_metadata,
    });
    sinkOf(config).reply(message, []);
    return { ...settled, messages: [...settled.messages, message], plan: [], decisions: null, proposedAt: null };
  };
}

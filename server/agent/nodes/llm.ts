/**
 * `llm`: calls the model with the tools this chat may see, streaming its text to the person, and
 * plans how each proposed call will be handled (auto, ask, or never run), so the plan is in the
 * checkpoint before anyone is asked.
 */
import { AIMessage, SystemMessage } from '@langchain/core/messages';
import { answeredByMetadata } from '../answered-by.ts';
import { systemPrompt } from '../prompts.ts';
import { messageIdForTask, type AgentStateUpdate, type AgentStateValue, type PlannedCall } from '../state.ts';
import type { AgentTool } from '../tool-port.ts';
import { chatToolView, planCall } from '../tool-view.ts';
import { withClosedToolCalls, withContinuation, withFiles, withToolImages } from '../transcript.ts';
import { streamReply } from './reply-stream.ts';
import { sinkOf, turnOf, type GraphDeps, type NodeConfig } from './runtime.ts';

export function llmNode(deps: GraphDeps) {
  return async function llm(state: AgentStateValue, config: NodeConfig): Promise<AgentStateUpdate> {
    const turn = turnOf(config);
    const view = chatToolView(deps.tools, turn);
    const offered = [...view.values()].map(({ tool }) => toFunctionDefinition(tool));
    const model = offered.length > 0 && deps.model.bindTools ? deps.model.bindTools(offered) : deps.model;
    const messageId = messageIdForTask(config.metadata?.langgraph_checkpoint_ns);
    const transcript = withContinuation(withClosedToolCalls(state.messages));
    // LLM_ACCEPTS_IMAGES, as the model client carries it (agent/model.ts).
    const acceptsImages = deps.model.profile.imageInputs === true;
    const shown = await withFiles(acceptsImages ? withToolImages(transcript) : transcript, deps.files, acceptsImages);
    const reply = await streamReply(
      model,
      [new SystemMessage(systemPrompt(state.rejectedThisTurn, turn.instructions)), ...shown],
      messageId,
      config,
    );

    const calls = [
      ...(reply.tool_calls ?? []).map((call) => ({ name: call.name, args: call.args, invalid: false })),
      ...(reply.invalid_tool_calls ?? []).map((call) => ({ name: call.name ?? 'unknown', args: {}, invalid: true })),
    ].map((call) => ({ ...call, id: newToolCallId() }));
    const plan: PlannedCall[] = calls.map((call) =>
      call.invalid
        ? {
            toolCallId: call.id,
            uniqueName: call.name,
            arguments: {},
            disposition: 'denied',
            reason: 'the model sent arguments that are not valid JSON',
          }
        : planCall(call, view, state.rejectedThisTurn),
    );
    const message = new AIMessage({
      id: messageId,
      content: reply.content,
      tool_calls: calls.map(({ id, name, args }) => ({ id, name, args, type: 'tool_call' as const })),
      response_metadata: { ...reply.response_metadata, ...answeredByMetadata(deps.model) },
      usage_metadata: reply.usage_metadata,
    });
    sinkOf(config).reply(message, plan);
    return { messages: [message], plan, proposedAt: plan.length > 0 ? new Date().toISOString() : null, decisions: null };
  };
}

/** The OpenAI function definition the model is offered. */
function toFunctionDefinition(tool: AgentTool) {
  const summary = [tool.title, tool.description].filter(Boolean).join(': ');
  return {
    type: 'function' as const,
    function: {
      name: tool.uniqueName,
      description: summary || tool.name,
      parameters: { type: 'object', properties: {}, ...tool.inputSchema },
    },
  };
}

/**
 * Our own ids, never the model's: the audit log keys calls by id across all chats, and some
 * OpenAI-compatible servers number calls per response ("call_0") or omit ids.
 */
function newToolCallId(): string {
  return `call_${crypto.randomUUID().replaceAll('-', '')}`;
}

/**
 * One chat's view of a person's tools: which the model is offered, under which policy, and how
 * each proposed call will be handled. Pure, so the same answer comes at proposal time and again
 * just before a call runs (a tool removed or denied in between does not run).
 */
import { canonicalJson } from '../canonical-json.ts';
import { effectivePolicy, type EffectivePolicy, type ServerPolicySettings, type ToolPolicy } from './policy.ts';
import type { PlannedCall, RejectedCall, ToolSnapshot } from './state.ts';
import type { AgentTool } from './tool-port.ts';

/** Per-run facts about the chat, read from the database when a run starts (part of the graph's context). */
export type TurnContext = {
  userId: string;
  chatId: string;
  threadId: string;
  /** Catalogue servers whose tools this chat's model sees. */
  enabledServers: string[];
  /** Tools (unique names) the person always allows in this chat. */
  alwaysAllowed: string[];
  /** Policy settings of the enabled servers that are still in the catalogue and enabled. */
  servers: Record<string, ServerPolicySettings>;
  /** The person's own stricter settings, keyed by `personalKey(serverId, toolName)`. */
  personal: Record<string, ToolPolicy>;
  /** What the person and this chat tell the model (empty when unset); sent with each request, never checkpointed. */
  instructions: Instructions;
};

/** Instructions a person writes for the model: their own for every chat, and this chat's. */
export type Instructions = { person: string; chat: string };

export function personalKey(serverId: string, toolName: string): string {
  return `${serverId}\u0000${toolName}`;
}

export interface VisibleTool {
  tool: AgentTool;
  policy: EffectivePolicy;
}

/**
 * Why a listed tool is never offered to any model, in words the person and the model both read;
 * undefined when it may be offered.
 */
export function unavailableReason(tool: AgentTool): string | undefined {
  if (tool.held === 'changed') return 'waiting for an administrator to review a changed definition';
  if (tool.held === 'new') return 'waiting for an administrator to review a new tool';
  return tool.unavailable;
}

/** The tools the model may see in one chat, by unique name; and every other listed tool, with why not. */
export class ChatToolView extends Map<string, VisibleTool> {
  readonly #notOffered = new Map<string, { reason: string; tool?: AgentTool }>();

  /** `tool` only when its server is in this chat's catalogue settings: the audit log may name that server. */
  notOffered(uniqueName: string, reason: string, tool?: AgentTool): void {
    this.#notOffered.set(uniqueName, { reason, tool });
  }

  /** A tool the model named anyway: why it is not in this view, and which tool it is when that is known. */
  whyNot(uniqueName: string): { reason: string; tool?: AgentTool } {
    return this.#notOffered.get(uniqueName) ?? { reason: 'no connected server offers a tool by this name' };
  }
}

/** Tools the model may see in this chat; denied, held and unavailable tools are left out entirely. */
export function chatToolView(tools: readonly AgentTool[], turn: TurnContext): ChatToolView {
  const view = new ChatToolView();
  for (const tool of tools) {
    const server = turn.servers[tool.serverId];
    if (!turn.enabledServers.includes(tool.serverId)) {
      view.notOffered(tool.uniqueName, `${tool.serverName} is not enabled in this chat`);
      continue;
    }
    if (!server) {
      view.notOffered(tool.uniqueName, `${tool.serverName} is disabled or no longer in the catalogue`);
      continue;
    }
    // Held and unavailable tools: the tool's implementation would refuse to run them anyway.
    const unavailable = unavailableReason(tool);
    if (unavailable) {
      view.notOffered(tool.uniqueName, unavailable, tool);
      continue;
    }
    const policy = effectivePolicy({
      tool,
      server,
      personal: turn.personal[personalKey(tool.serverId, tool.name)],
      alwaysAllowedInChat: turn.alwaysAllowed.includes(tool.uniqueName),
    });
    if (policy.policy === 'deny') view.notOffered(tool.uniqueName, policy.reason, tool);
    else view.set(tool.uniqueName, { tool, policy });
  }
  return view;
}

function snapshotOf(tool: AgentTool): ToolSnapshot {
  return {
    serverId: tool.serverId,
    serverName: tool.serverName,
    name: tool.name,
    title: tool.title || tool.name,
    description: tool.description ?? '',
    annotations: tool.annotations ?? {},
    inputSchema: tool.inputSchema,
  };
}

export function planCall(
  call: { id: string; name: string; args: Record<string, unknown> },
  view: ChatToolView,
  rejectedThisTurn: readonly RejectedCall[],
): PlannedCall {
  const base = { toolCallId: call.id, uniqueName: call.name, arguments: call.args };
  const visible = view.get(call.name);
  if (!visible) {
    // The reason names the cause only: the text the model gets already says the tool is not available.
    const { tool, reason } = view.whyNot(call.name);
    return { ...base, ...(tool ? { tool: snapshotOf(tool) } : {}), disposition: 'denied', reason };
  }
  const tool = snapshotOf(visible.tool);
  const key = canonicalJson(call.args);
  const earlier = rejectedThisTurn.find((r) => r.uniqueName === call.name && r.argumentsKey === key);
  if (earlier) return { ...base, tool, disposition: 'repeated', reason: `rejected earlier in this turn: ${earlier.reason}` };
  return { ...base, tool, disposition: visible.policy.policy === 'auto' ? 'auto' : 'ask', reason: visible.policy.reason };
}

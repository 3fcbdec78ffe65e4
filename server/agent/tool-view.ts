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
};

export function personalKey(serverId: string, toolName: string): string {
  return `${serverId}\u0000${toolName}`;
}

export interface VisibleTool {
  tool: AgentTool;
  policy: EffectivePolicy;
}

/** Tools the model may see in this chat, by unique name; denied and held tools are left out entirely. */
export function chatToolView(tools: readonly AgentTool[], turn: TurnContext): Map<string, VisibleTool> {
  const view = new Map<string, VisibleTool>();
  for (const tool of tools) {
    const server = turn.servers[tool.serverId];
    // Held tools wait for an admin's review; the MCP side would refuse to run them anyway.
    if (!server || tool.held || !turn.enabledServers.includes(tool.serverId)) continue;
    const policy = effectivePolicy({
      tool,
      server,
      personal: turn.personal[personalKey(tool.serverId, tool.name)],
      alwaysAllowedInChat: turn.alwaysAllowed.includes(tool.uniqueName),
    });
    if (policy.policy !== 'deny') view.set(tool.uniqueName, { tool, policy });
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
  view: Map<string, VisibleTool>,
  rejectedThisTurn: readonly RejectedCall[],
): PlannedCall {
  const base = { toolCallId: call.id, uniqueName: call.name, arguments: call.args };
  const visible = view.get(call.name);
  if (!visible) return { ...base, disposition: 'denied', reason: 'not available in this chat' };
  const tool = snapshotOf(visible.tool);
  const key = canonicalJson(call.args);
  const earlier = rejectedThisTurn.find((r) => r.uniqueName === call.name && r.argumentsKey === key);
  if (earlier) return { ...base, tool, disposition: 'repeated', reason: `rejected earlier in this turn: ${earlier.reason}` };
  return { ...base, tool, disposition: visible.policy.policy === 'auto' ? 'auto' : 'ask', reason: visible.policy.reason };
}

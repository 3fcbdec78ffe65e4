/**
 * Which tool calls run without asking. Pure functions: the same inputs give the same answer,
 * at proposal time and again just before a call runs.
 *
 * Order of precedence:
 * 1. the admin's policy for the tool in the catalogue (ask | auto | deny);
 * 2. otherwise the server's default, which a trusted server's annotations may adjust
 *    (read-only → auto); an untrusted server's annotations are shown but never relax anything;
 *    a synthetic tool (it reads what the person may read themselves) is auto unless that default is deny;
 * 3. a destructive hint only ever tightens (auto → ask);
 * 4. a person may tighten further, never loosen — except "always allow in this chat",
 *    which turns ask into auto for that chat only and never overrides deny.
 */
import type { ToolAnnotations } from '../../shared/chat-events.ts';

export type ToolPolicy = 'ask' | 'auto' | 'deny';

export interface ServerPolicySettings {
  trusted: boolean;
  defaultPolicy: ToolPolicy;
  /** Tool name on the server → the admin's policy. */
  toolPolicies: Record<string, ToolPolicy>;
}

export interface PolicyInput {
  tool: { name: string; annotations?: ToolAnnotations; synthetic?: true };
  server: ServerPolicySettings;
  /** The person's own stricter setting for this tool, if any. */
  personal?: ToolPolicy;
  alwaysAllowedInChat: boolean;
}

export interface EffectivePolicy {
  policy: ToolPolicy;
  /** Shown to the person when asked, and kept in the audit log. */
  reason: string;
}

const strictness: Record<ToolPolicy, number> = { auto: 0, ask: 1, deny: 2 };

/** The stricter of two policies. */
export function tighten(a: ToolPolicy, b: ToolPolicy): ToolPolicy {
  return strictness[a] >= strictness[b] ? a : b;
}

/** What the catalogue says, before anything a person chose. */
export function cataloguePolicy(tool: PolicyInput['tool'], server: ServerPolicySettings): EffectivePolicy {
  const explicit = server.toolPolicies[tool.name];
  if (explicit) return { policy: explicit, reason: `policy: ${explicit}` };
  if (tool.synthetic && server.defaultPolicy !== 'deny') return { policy: 'auto', reason: 'reads a resource through your own connection' };
  return suggestedDefault(tool.annotations ?? {}, server);
}

function suggestedDefault(annotations: ToolAnnotations, server: ServerPolicySettings): EffectivePolicy {
  const fallback: EffectivePolicy = { policy: server.defaultPolicy, reason: `policy: ${server.defaultPolicy}` };
  if (fallback.policy === 'deny') return fallback;
  if (annotations.readOnlyHint === true) {
    return server.trusted ? { policy: 'auto', reason: 'read-only tool of a trusted server' } : fallback;
  }
  // MCP counts destructiveHint only for tools that are not read-only, and defaults it to true.
  // It tightens whoever sent it: a false claim costs a question, nothing more.
  if (fallback.policy === 'auto' && annotations.destructiveHint === true) return { policy: 'ask', reason: 'destructive tool' };
  return fallback;
}

export function effectivePolicy(input: PolicyInput): EffectivePolicy {
  let result = cataloguePolicy(input.tool, input.server);
  if (input.personal && tighten(result.policy, input.personal) !== result.policy) {
    result = { policy: input.personal, reason: `your setting: ${input.personal}` };
  }
  if (result.policy === 'ask' && input.alwaysAllowedInChat) {
    result = { policy: 'auto', reason: 'always allowed in this chat' };
  }
  return result;
}

/** How the policy treats a tool: asks first, runs without asking, or never runs; and whether it is held for review. */
import { Show } from 'solid-js';
import type { ServerTool } from '../api/types.ts';

const policies: Record<ServerTool['policy'], { label: string; tone: string; about: string }> = {
  ask: { label: 'asks first', tone: 'neutral', about: 'Each call waits for your approval.' },
  auto: { label: 'runs without asking', tone: 'ok', about: 'An administrator allowed this tool to run without approval.' },
  deny: { label: 'blocked', tone: 'danger', about: 'An administrator blocked this tool; the assistant cannot call it.' },
};

export function ToolPolicyBadge(props: { tool: ServerTool }) {
  const policy = () => policies[props.tool.policy];
  return (
    <>
      <span class={`badge ${policy().tone}`} title={policy().about}>
        {policy().label}
      </span>
      <Show when={props.tool.held}>
        <span
          class="badge warn"
          title="Its definition changed since it was approved for use; every call is asked about until an administrator reviews it."
        >
          changed: held
        </span>
      </Show>
    </>
  );
}

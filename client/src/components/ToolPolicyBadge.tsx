/** How the policy treats a tool: asks first, runs without asking, or never runs; and whether the assistant is offered it at all. */
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
      <Show when={props.tool.unavailable}>
        {(reason) => (
          <span class="badge warn" title={`The assistant is not offered this tool: ${reason()}.`}>
            {props.tool.held ? 'held for review' : 'not offered'}
          </span>
        )}
      </Show>
    </>
  );
}

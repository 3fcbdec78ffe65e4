/** How the policy treats a tool: asks first, runs without asking, or never runs; and whether the assistant is offered it at all. */
import { Show } from 'solid-js';
import type { ServerTool } from '../api/types.ts';
import { t } from '../../../shared/i18n/t.ts';

const policies = {
  ask: { label: 'toolPolicy.ask', tone: 'neutral', about: 'toolPolicy.askAbout' },
  auto: { label: 'toolPolicy.auto', tone: 'ok', about: 'toolPolicy.autoAbout' },
  deny: { label: 'toolPolicy.deny', tone: 'danger', about: 'toolPolicy.denyAbout' },
} as const satisfies Record<ServerTool['policy'], { label: string; tone: string; about: string }>;

export function ToolPolicyBadge(props: { tool: ServerTool }) {
  const policy = () => policies[props.tool.policy];
  return (
    <>
      <span class={`badge ${policy().tone}`} title={t(policy().about)}>
        {t(policy().label)}
      </span>
      <Show when={props.tool.unavailable}>
        {(reason) => (
          <span class="badge warn" title={t('toolPolicy.notOfferedAbout', reason())}>
            {props.tool.held ? t('toolPolicy.held') : t('toolPolicy.notOffered')}
          </span>
        )}
      </Show>
    </>
  );
}

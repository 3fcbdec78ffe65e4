/** A connected server's tools: name, description, annotation hints, policy, and why the assistant is not offered one. */
import { For, Show } from 'solid-js';
import type { ServerTool } from '../api/types.ts';
import { ToolBadges } from './ToolBadges.tsx';
import { ToolPolicyBadge } from './ToolPolicyBadge.tsx';
import { t } from '../../../shared/i18n/t.ts';

export function ServerToolList(props: { tools: ServerTool[] }) {
  return (
    <ul class="tool-list">
      <For each={props.tools}>
        {(tool) => (
          <li class="tool-entry">
            <div class="tool-entry-head">
              <span class="tool-name">{tool.title || tool.name}</span>
              <code class="small-text muted">{tool.name}</code>
            </div>
            <Show when={tool.description}>
              <p class="tool-description">{tool.description}</p>
            </Show>
            <Show when={tool.unavailable}>
              {(reason) => <p class="tool-unavailable small-text muted">{t('servers.notOffered', reason())}</p>}
            </Show>
            <div class="badges">
              <ToolPolicyBadge tool={tool} />
              <ToolBadges annotations={tool.annotations ?? undefined} />
            </div>
          </li>
        )}
      </For>
    </ul>
  );
}

/**
 * A tool's annotation hints as badges. They are what the MCP server says about its own tool:
 * the tooltips say so, since only a trusted server's hints can be relied on.
 */
import { For } from 'solid-js';
import type { ToolAnnotations } from '../api/types.ts';
import { t } from '../../../shared/i18n/t.ts';

const hints = [
  { key: 'readOnlyHint', label: 'toolHints.readOnly', tone: 'ok', about: 'toolHints.readOnlyAbout' },
  { key: 'destructiveHint', label: 'toolHints.destructive', tone: 'danger', about: 'toolHints.destructiveAbout' },
  { key: 'idempotentHint', label: 'toolHints.idempotent', tone: 'neutral', about: 'toolHints.idempotentAbout' },
  { key: 'openWorldHint', label: 'toolHints.openWorld', tone: 'neutral', about: 'toolHints.openWorldAbout' },
] as const satisfies { key: keyof ToolAnnotations; label: string; tone: string; about: string }[];

export function ToolBadges(props: { annotations: ToolAnnotations | undefined }) {
  const shown = () => hints.filter((hint) => props.annotations?.[hint.key] === true);
  return (
    <span class="badges">
      <For each={shown()}>
        {(hint) => (
          <span class={`badge ${hint.tone}`} title={t(hint.about)}>
            {t(hint.label)}
          </span>
        )}
      </For>
    </span>
  );
}

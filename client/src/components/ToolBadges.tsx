/**
 * A tool's annotation hints as badges. They are what the MCP server says about its own tool:
 * the tooltips say so, since only a trusted server's hints can be relied on.
 */
import { For } from 'solid-js';
import type { ToolAnnotations } from '../api/types.ts';

const hints: { key: keyof ToolAnnotations; label: string; tone: string; about: string }[] = [
  { key: 'readOnlyHint', label: 'read-only', tone: 'ok', about: 'The server says this tool only reads and changes nothing.' },
  { key: 'destructiveHint', label: 'destructive', tone: 'danger', about: 'The server says this tool may delete or overwrite data.' },
  { key: 'idempotentHint', label: 'idempotent', tone: 'neutral', about: 'The server says calling it twice has the same effect as once.' },
  {
    key: 'openWorldHint',
    label: 'open world',
    tone: 'neutral',
    about: 'The server says this tool reaches outside systems (the web, other services).',
  },
];

export function ToolBadges(props: { annotations: ToolAnnotations | undefined }) {
  const shown = () => hints.filter((hint) => props.annotations?.[hint.key] === true);
  return (
    <span class="badges">
      <For each={shown()}>
        {(hint) => (
          <span class={`badge ${hint.tone}`} title={hint.about}>
            {hint.label}
          </span>
        )}
      </For>
    </span>
  );
}

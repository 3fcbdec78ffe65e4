/**
 * The folders a server's admin lets people offer it, as checkboxes: which of them the server may
 * see in this chat (none until the person ticks one). The server hears of every change. A change
 * shows at once and is undone if it is refused.
 */
import { createSignal, For, Show } from 'solid-js';
import type { ServerDto } from '../api/types.ts';
import { t } from '../../../shared/i18n/t.ts';

export function ServerRoots(props: { server: ServerDto; chosen: readonly string[]; onChange: (uris: string[]) => Promise<void> }) {
  const [saving, setSaving] = createSignal<string[] | null>(null);
  const shown = () => saving() ?? props.chosen;
  const toggle = async (uri: string, on: boolean) => {
    // Built from the admin's list, so a folder the admin has since removed goes with the next change.
    const next = props.server.roots.map((root) => root.uri).filter((each) => (each === uri ? on : shown().includes(each)));
    setSaving(next);
    try {
      await props.onChange(next);
    } finally {
      setSaving(null);
    }
  };

  return (
    <fieldset class="server-roots" disabled={saving() !== null}>
      <legend class="small-text">{t('servers.roots')}</legend>
      <For each={props.server.roots}>
        {(root) => (
          <label class="checkbox">
            <input type="checkbox" checked={shown().includes(root.uri)} onChange={(e) => void toggle(root.uri, e.currentTarget.checked)} />
            <span>
              {root.name ?? root.uri}
              <Show when={root.name}>
                <span class="muted small-text root-uri"> {root.uri}</span>
              </Show>
            </span>
          </label>
        )}
      </For>
    </fieldset>
  );
}

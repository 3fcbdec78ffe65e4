/** A tool call's arguments, readable: one row per argument, text shown as text, anything else as formatted JSON. */
import { For, Show } from 'solid-js';
import { t } from '../../../shared/i18n/t.ts';

export function ArgumentsView(props: { arguments: Record<string, unknown> }) {
  const entries = () => Object.entries(props.arguments);
  return (
    <Show when={entries().length > 0} fallback={<p class="muted small-text">{t('approval.noArguments')}</p>}>
      <dl class="arguments">
        <For each={entries()}>
          {([name, value]) => (
            <div class="argument">
              <dt>{name}</dt>
              <dd>
                <Show when={typeof value === 'string'} fallback={<pre class="argument-json">{JSON.stringify(value, null, 2)}</pre>}>
                  <span class="argument-text">{value as string}</span>
                </Show>
              </dd>
            </div>
          )}
        </For>
      </dl>
    </Show>
  );
}

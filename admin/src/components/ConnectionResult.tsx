/** What a connection test found: the error to fix, or the server's tools as the model would see them. */
import { For, Show } from 'solid-js';
import { t } from '../../../shared/i18n/t.ts';
import type { ResultOf } from '../api/graphql.ts';
import type { TestConnection } from '../api/operations.ts';
import { Badge, policyTone } from './Badge.tsx';

type Tested = ResultOf<typeof TestConnection>['testConnection'];

export function ConnectionResult(props: { result: Tested }) {
  return (
    <section class="test-result" aria-label={t('console.connection.label')} role="status">
      <Show
        when={props.result.ok}
        fallback={
          <p class="notice error">
            <strong>{t('console.connection.failed')}</strong> {props.result.error}
          </p>
        }
      >
        <p class="notice ok">
          <strong>{t('console.connection.connected')}</strong>
          {t('console.connection.summary', props.result.durationMs, props.result.protocolVersion, props.result.tools.length)}
        </p>
        <ul class="tool-list">
          <For each={props.result.tools}>
            {(tool) => (
              <li aria-label={tool.name}>
                <div class="row">
                  <code>{tool.name}</code>
                  <Badge tone={policyTone(tool.policy)}>{t(`console.policyNames.${tool.policy}`)}</Badge>
                  <Show when={tool.annotations.readOnlyHint}>
                    <Badge tone="info">{t('console.connection.readOnly')}</Badge>
                  </Show>
                  <Show when={!tool.annotations.readOnlyHint && tool.annotations.destructiveHint}>
                    <Badge tone="warn">{t('console.connection.mayChange')}</Badge>
                  </Show>
                  <Badge tone={tool.pinState === 'CHANGED' || tool.pinState === 'NEW' ? 'warn' : 'muted'}>
                    {t(`console.connection.pins.${tool.pinState}`)}
                  </Badge>
                </div>
                <Show when={tool.description}>
                  <p class="muted small">{tool.description}</p>
                </Show>
              </li>
            )}
          </For>
        </ul>
      </Show>
    </section>
  );
}

/**
 * What the server logged through people's connections (MCP notifications/message), newest first.
 * Only messages at the server's log level or above arrive; the newest 200 are kept.
 */
import { createResource, For, Show } from 'solid-js';
import { t } from '../../../shared/i18n/t.ts';
import { ServerLogs } from '../api/operations.ts';
import { api, describeError, formatTime } from '../lib/api.ts';
import { personName } from '../lib/person-name.ts';
import type { Server } from '../pages/ServerPage.tsx';
import { Badge, levelTone } from './Badge.tsx';
import { ErrorNotice } from './Notice.tsx';

export function ServerLog(props: { server: Server }) {
  // A save may change the level (and reconnect everyone): the list is asked for again then, and on Refresh.
  const [entries, { refetch }] = createResource(
    () => ({ id: props.server.id, updatedAt: props.server.updatedAt }),
    ({ id }) => api(ServerLogs, { id }).then((r) => r.server?.recentLogs ?? []),
  );

  return (
    <section class="panel" aria-labelledby="server-log-title">
      <div class="page-head">
        <h2 id="server-log-title">{t('console.serverLog.title')}</h2>
        <button class="button small" type="button" disabled={entries.loading} onClick={() => void refetch()}>
          {t('console.common.refresh')}
        </button>
      </div>
      <p class="muted">{t('console.serverLog.text', props.server.name, t(`console.levelNames.${props.server.logLevel}`))}</p>
      <ErrorNotice message={entries.error ? describeError(entries.error) : null} />
      <ol class="server-log" aria-label={t('console.serverLog.label', props.server.name)}>
        <For
          each={entries.error ? [] : entries()}
          fallback={<li class="muted">{entries.loading ? t('console.common.loading') : t('console.serverLog.empty')}</li>}
        >
          {(entry) => (
            <li>
              <div class="row">
                <Badge tone={levelTone(entry.level)}>
                  <span class="sr-only">{t('console.serverLog.level')}</span>
                  {t(`console.levelNames.${entry.level}`)}
                </Badge>
                <time datetime={entry.at}>{formatTime(entry.at, true)}</time>
                <Show when={entry.logger}>
                  {(logger) => (
                    <span class="muted small">
                      {t('console.serverLog.logger')} <code>{logger()}</code>
                    </span>
                  )}
                </Show>
                <Show when={entry.user}>{(user) => <span class="muted small">{t('console.serverLog.for', personName(user()))}</span>}</Show>
              </div>
              <pre class="code wrap">{entry.data}</pre>
            </li>
          )}
        </For>
      </ol>
    </section>
  );
}

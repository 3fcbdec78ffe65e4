/**
 * What the server logged through people's connections (MCP notifications/message), newest first.
 * Only messages at the server's log level or above arrive; the newest 200 are kept.
 */
import { createResource, For, Show } from 'solid-js';
import { ServerLogs } from '../api/operations.ts';
import { api, describeError, formatTime } from '../lib/api.ts';
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
        <h2 id="server-log-title">Server log</h2>
        <button class="button small" type="button" disabled={entries.loading} onClick={() => void refetch()}>
          Refresh
        </button>
      </div>
      <p class="muted">
        Messages {props.server.name} sent at {props.server.logLevel.toLowerCase()} or above, newest first. The newest 200 are kept.
      </p>
      <ErrorNotice message={entries.error ? describeError(entries.error) : null} />
      <ol class="server-log" aria-label={`Log messages from ${props.server.name}`}>
        <For each={entries.error ? [] : entries()} fallback={<li class="muted">{entries.loading ? 'Loading…' : 'No messages yet.'}</li>}>
          {(entry) => (
            <li>
              <div class="row">
                <Badge tone={levelTone(entry.level)}>
                  <span class="sr-only">Level: </span>
                  {entry.level.toLowerCase()}
                </Badge>
                <time datetime={entry.at}>{formatTime(entry.at, true)}</time>
                <Show when={entry.logger}>
                  {(logger) => (
                    <span class="muted small">
                      logger <code>{logger()}</code>
                    </span>
                  )}
                </Show>
                <Show when={entry.user}>{(user) => <span class="muted small">for {user().name ?? user().email ?? user().id}</span>}</Show>
              </div>
              <pre class="code wrap">{entry.data}</pre>
            </li>
          )}
        </For>
      </ol>
    </section>
  );
}

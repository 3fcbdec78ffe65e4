/** The catalogue at a glance: every server, whether it is on, who uses it, and what waits for review. */
import { createResource, For, Show } from 'solid-js';
import type { ResultOf } from '../api/graphql.ts';
import { ServersQuery, SetServerEnabled } from '../api/operations.ts';
import { Badge } from '../components/Badge.tsx';
import { ErrorNotice } from '../components/Notice.tsx';
import { createAction } from '../lib/action.ts';
import { api, describeError } from '../lib/api.ts';
import { link } from '../lib/router.ts';

type Server = ResultOf<typeof ServersQuery>['servers'][number];

const TRANSPORT_LABEL = { STREAMABLE_HTTP: 'Streamable HTTP', SSE: 'HTTP + SSE', STDIO: 'stdio' } as const;

function target(server: Pick<Server, 'transport' | 'url' | 'command' | 'args'>): string {
  return server.transport === 'STDIO' ? [server.command, ...server.args].join(' ') : (server.url ?? '');
}

export function ServersPage() {
  const [servers, { mutate }] = createResource(() => api(ServersQuery).then((r) => r.servers));
  const toggle = createAction(async (server: Server) => {
    const { setServerEnabled } = await api(SetServerEnabled, { id: server.id, enabled: !server.enabled });
    mutate((list) => list?.map((s) => (s.id === server.id ? setServerEnabled : s)));
  });

  return (
    <section aria-labelledby="catalogue-title">
      <div class="page-head">
        <h1 id="catalogue-title">MCP server catalogue</h1>
        <a class="button primary" href="/admin/servers/new" onClick={link}>
          Add server
        </a>
      </div>
      <p class="lead">People connect to these servers from the chat. Disabling one disconnects it for everyone at once.</p>
      <ErrorNotice message={toggle.error() ?? (servers.error ? describeError(servers.error) : null)} />
      <Show when={servers()} fallback={<p aria-busy="true">Loading the catalogue…</p>}>
        <table class="table">
          <caption class="sr-only">Catalogue servers</caption>
          <thead>
            <tr>
              <th scope="col">Server</th>
              <th scope="col">Transport</th>
              <th scope="col">Status</th>
              <th scope="col">Users</th>
              <th scope="col">Tools</th>
              <th scope="col">
                <span class="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            <For
              each={servers()}
              fallback={
                <tr>
                  <td colspan="6">No servers yet. Add one to give people tools.</td>
                </tr>
              }
            >
              {(server) => (
                <tr aria-label={server.name}>
                  <td>
                    <a class="strong" href={`/admin/servers/${encodeURIComponent(server.id)}`} onClick={link}>
                      {server.name}
                    </a>
                    <div class="muted small mono ellipsis" title={target(server)}>
                      {target(server)}
                    </div>
                  </td>
                  <td>{TRANSPORT_LABEL[server.transport]}</td>
                  <td>
                    <Badge tone={server.enabled ? 'ok' : 'muted'}>{server.enabled ? 'Enabled' : 'Disabled'}</Badge>{' '}
                    <Show when={server.trusted}>
                      <Badge tone="info">Trusted</Badge>
                    </Show>
                  </td>
                  <td>{server.connectedUsers}</td>
                  <td>
                    {server.pinnedTools.length > 0 ? `${server.pinnedTools.length} accepted` : 'Not listed yet'}
                    <Show when={server.heldTools.length > 0}>
                      {' '}
                      <Badge tone="warn">{server.heldTools.length} held for review</Badge>
                    </Show>
                  </td>
                  <td class="actions">
                    <button class="button" type="button" disabled={toggle.busy()} onClick={() => toggle.perform(server)}>
                      {server.enabled ? 'Disable' : 'Enable'}
                    </button>
                  </td>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </Show>
    </section>
  );
}

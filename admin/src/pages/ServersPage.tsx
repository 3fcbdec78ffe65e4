/** The catalogue at a glance: every server, whether it is on, who uses it, and what waits for review. */
import { createResource, Show } from 'solid-js';
import { t } from '../../../shared/i18n/t.ts';
import type { ResultOf } from '../api/graphql.ts';
import { ServersQuery, SetServerEnabled } from '../api/operations.ts';
import { Badge } from '../components/Badge.tsx';
import { ErrorNotice } from '../components/Notice.tsx';
import { createAction } from '../lib/action.ts';
import { api, describeError } from '../lib/api.ts';
import { link } from '../lib/router.ts';
import { DataTable } from '../components/DataTable.tsx';

type Server = ResultOf<typeof ServersQuery>['servers'][number];

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
        <h1 id="catalogue-title">{t('console.servers.title')}</h1>
        <a class="button primary" href="/admin/servers/new" onClick={link}>
          {t('console.servers.add')}
        </a>
      </div>
      <p class="lead">{t('console.servers.lead')}</p>
      <ErrorNotice message={toggle.error() ?? (servers.error ? describeError(servers.error) : null)} />
      <Show when={servers()} fallback={<p aria-busy="true">{t('console.servers.loading')}</p>}>
        <DataTable
          caption={t('console.servers.caption')}
          columns={[
            { label: t('console.servers.server') },
            { label: t('console.servers.transport') },
            { label: t('console.common.status') },
            { label: t('console.servers.users') },
            { label: t('console.servers.tools') },
            { label: t('console.common.actions'), visuallyHidden: true },
          ]}
          rows={servers()}
          empty={t('console.servers.empty')}
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
              <td>{t(`console.servers.transports.${server.transport}`)}</td>
              <td>
                <Badge tone={server.enabled ? 'ok' : 'muted'}>
                  {server.enabled ? t('console.common.enabled') : t('console.common.disabled')}
                </Badge>{' '}
                <Show when={server.trusted}>
                  <Badge tone="info">{t('console.servers.trusted')}</Badge>
                </Show>
              </td>
              <td>{server.connectedUsers}</td>
              <td>
                {server.pinnedTools.length > 0 ? t('console.servers.accepted', server.pinnedTools.length) : t('console.servers.notListed')}
                <Show when={server.heldTools.length > 0}>
                  {' '}
                  <Badge tone="warn">{t('console.servers.held', server.heldTools.length)}</Badge>
                </Show>
              </td>
              <td class="actions">
                <button class="button" type="button" disabled={toggle.busy()} onClick={() => toggle.perform(server)}>
                  {server.enabled ? t('console.common.disable') : t('console.common.enable')}
                </button>
              </td>
            </tr>
          )}
        </DataTable>
      </Show>
    </section>
  );
}

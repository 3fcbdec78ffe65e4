/**
 * One catalogue server: its definition (or a new one), a connection test, who has signed in at it
 * (behind OAuth), its tools' policies and held definitions, and what it logged.
 */
import { createResource, createSignal, Show } from 'solid-js';
import { t } from '../../../shared/i18n/t.ts';
import type { ResultOf } from '../api/graphql.ts';
import { DeleteServer, ServerQuery } from '../api/operations.ts';
import { ErrorNotice } from '../components/Notice.tsx';
import { HeldTools } from '../components/HeldTools.tsx';
import { ServerAuthorisations } from '../components/ServerAuthorisations.tsx';
import { ServerForm } from '../components/ServerForm.tsx';
import { ServerLog } from '../components/ServerLog.tsx';
import { ToolPolicies } from '../components/ToolPolicies.tsx';
import { createAction } from '../lib/action.ts';
import { api, describeError } from '../lib/api.ts';
import { link, navigate } from '../lib/router.ts';

export type Server = NonNullable<ResultOf<typeof ServerQuery>['server']>;

export function ServerPage(props: { serverId: string | null }) {
  const [server, { mutate }] = createResource(
    () => props.serverId,
    (id) => api(ServerQuery, { id }).then((r) => r.server),
  );
  const [confirming, setConfirming] = createSignal(false);
  const remove = createAction(async (id: string) => {
    await api(DeleteServer, { id });
    navigate('/');
  });

  return (
    <section aria-labelledby="server-title">
      <p class="crumbs">
        <a href="/admin/" onClick={link}>
          {t('console.nav.catalogue')}
        </a>{' '}
        /
      </p>
      <Show
        when={props.serverId}
        fallback={
          <>
            <h1 id="server-title">{t('console.server.addTitle')}</h1>
            <ServerForm server={null} onSaved={(saved) => navigate(`/servers/${encodeURIComponent(saved.id)}`)} />
          </>
        }
      >
        <ErrorNotice message={server.error ? describeError(server.error) : null} />
        <Show when={server.state === 'ready' && server() === null}>
          <p>{t('console.server.gone')}</p>
        </Show>
        <Show when={server()}>
          {(current) => (
            <>
              <h1 id="server-title">{current().name}</h1>
              <ServerForm server={current()} onSaved={(saved) => mutate(saved)} />
              <Show when={current().authMode === 'OAUTH'}>
                <ServerAuthorisations server={current()} />
              </Show>
              <HeldTools server={current()} onChanged={(saved) => mutate(saved)} />
              <ToolPolicies server={current()} onChanged={(saved) => mutate(saved)} />
              <ServerLog server={current()} />
              <section class="panel danger-zone" aria-labelledby="delete-title">
                <h2 id="delete-title">{t('console.server.removeTitle')}</h2>
                <p>{t('console.server.removeText', current().name)}</p>
                <ErrorNotice message={remove.error()} />
                <Show
                  when={confirming()}
                  fallback={
                    <button class="button danger-outline" type="button" onClick={() => setConfirming(true)}>
                      {t('console.server.removeButton')}
                    </button>
                  }
                >
                  <div class="row">
                    <button class="button danger" type="button" disabled={remove.busy()} onClick={() => remove.perform(current().id)}>
                      {t('console.server.removeConfirm', current().name)}
                    </button>
                    <button class="button" type="button" onClick={() => setConfirming(false)}>
                      {t('console.server.keepIt')}
                    </button>
                  </div>
                </Show>
              </section>
            </>
          )}
        </Show>
      </Show>
    </section>
  );
}

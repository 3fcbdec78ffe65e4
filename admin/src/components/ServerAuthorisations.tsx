/**
 * Who has signed in at a server behind OAuth (never their tokens), and revoking one person's
 * sign-in: Countersign forgets their tokens, and they sign in again before their next use.
 */
import { createResource, createSignal, Show } from 'solid-js';
import { t } from '../../../shared/i18n/t.ts';
import { RevokeMcpAuthorisation, ServerAuthorisations as ServerAuthorisationsQuery } from '../api/operations.ts';
import { createAction } from '../lib/action.ts';
import { api, describeError, formatTime } from '../lib/api.ts';
import { personName } from '../lib/person-name.ts';
import type { Server } from '../pages/ServerPage.tsx';
import { ErrorNotice } from './Notice.tsx';
import { DataTable } from './DataTable.tsx';

export function ServerAuthorisations(props: { server: Server }) {
  // Saving the server may have signed everyone out: its updatedAt changes, so the list is asked for again.
  const [people, { refetch }] = createResource(
    () => ({ id: props.server.id, updatedAt: props.server.updatedAt }),
    ({ id }) => api(ServerAuthorisationsQuery, { id }).then((r) => r.server?.authorisations ?? []),
  );
  const [confirming, setConfirming] = createSignal<string | null>(null);
  const revoke = createAction(async (userId: string) => {
    await api(RevokeMcpAuthorisation, { serverId: props.server.id, userId });
    setConfirming(null);
    await refetch();
  });

  return (
    <section class="panel" aria-labelledby="authorisations-title">
      <h2 id="authorisations-title">{t('console.authorisations.title')}</h2>
      <p class="muted">{t('console.authorisations.text', props.server.name)}</p>
      <ErrorNotice message={revoke.error() ?? (people.error ? describeError(people.error) : null)} />
      <DataTable
        caption={t('console.authorisations.caption', props.server.name)}
        columns={[
          { label: t('console.common.person') },
          { label: t('console.authorisations.scope') },
          { label: t('console.authorisations.signedIn') },
          { label: t('console.authorisations.expires') },
          { label: t('console.common.actions'), visuallyHidden: true },
        ]}
        rows={people()}
        empty={people.loading ? t('console.common.loading') : t('console.authorisations.nobody')}
      >
        {(person) => {
          const who = () => personName(person.user);
          let revokeButton: HTMLButtonElement | undefined;
          const keep = () => {
            setConfirming(null);
            revokeButton?.focus();
          };
          return (
            <tr aria-label={who()}>
              <td>
                <span class="strong">{who()}</span>
                <Show when={person.user.name && person.user.email}>
                  <div class="muted small">{person.user.email}</div>
                </Show>
              </td>
              <td>
                <code>{person.scope ?? '—'}</code>
              </td>
              <td>{formatTime(person.authorisedAt)}</td>
              <td>{formatTime(person.expiresAt)}</td>
              <td class="actions">
                <Show
                  when={confirming() === person.user.id}
                  fallback={
                    <button ref={revokeButton} class="button danger-outline" type="button" onClick={() => setConfirming(person.user.id)}>
                      {t('console.authorisations.revoke')}
                    </button>
                  }
                >
                  <fieldset class="confirm">
                    <legend class="small">{t('console.authorisations.question', who())}</legend>
                    <button
                      class="button danger"
                      type="button"
                      disabled={revoke.busy()}
                      ref={(button) => queueMicrotask(() => button.focus())}
                      onClick={() => void revoke.perform(person.user.id)}
                    >
                      {t('console.authorisations.yes')}
                    </button>
                    <button class="button" type="button" onClick={keep}>
                      {t('console.common.keep')}
                    </button>
                  </fieldset>
                </Show>
              </td>
            </tr>
          );
        }}
      </DataTable>
    </section>
  );
}

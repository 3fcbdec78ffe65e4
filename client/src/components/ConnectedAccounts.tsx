/**
 * "Connected accounts": the servers the person has signed in to (their own account at each
 * server's authorisation server), with the scope granted and when, and Revoke, which makes
 * Countersign forget those tokens; the server then asks for a sign-in again.
 */
import { createSignal, For, onMount, Show } from 'solid-js';
import type { McpAuthorisation } from '../api/types.ts';
import { authorisations, loadAuthorisations, revokeAuthorisation } from '../state/authorisations.ts';
import { ConfirmDialog } from './ConfirmDialog.tsx';
import { formatDateTime } from '../../../shared/i18n/format.ts';
import { t } from '../../../shared/i18n/t.ts';

export function ConnectedAccounts() {
  const [revoking, setRevoking] = createSignal<McpAuthorisation>();
  onMount(() => void loadAuthorisations());

  return (
    <>
      <Show when={authorisations.error || authorisations.items.length > 0}>
        <section class="connected-accounts" aria-labelledby="connected-accounts-title">
          <h3 id="connected-accounts-title" class="section-title">
            {t('accounts.title')}
          </h3>
          <p class="muted small-text">{t('accounts.intro')}</p>
          <Show when={authorisations.error}>
            <p class="form-error" role="alert">
              {t('accounts.couldNotLoad', String(authorisations.error))}
            </p>
          </Show>
          <ul class="account-list">
            <For each={authorisations.items}>
              {(item) => (
                <li class="account-entry">
                  <div>
                    <strong>{item.serverName}</strong>
                    <p class="muted small-text">
                      {t('accounts.signedIn', formatDateTime(item.authorisedAt))}
                      <Show when={item.scope}>{(scope) => t('accounts.access', scope())}</Show>
                    </p>
                  </div>
                  <button
                    type="button"
                    class="button danger-outline"
                    aria-label={t('accounts.revokeServer', item.serverName)}
                    onClick={() => setRevoking(item)}
                  >
                    {t('accounts.revoke')}
                  </button>
                </li>
              )}
            </For>
          </ul>
        </section>
      </Show>
      {/* Outside the list: revoking the last account empties it, and the dialog must stay to close itself. */}
      <Show when={revoking()} keyed>
        {(item) => (
          <ConfirmDialog
            title={t('accounts.revokeTitle', item.serverName)}
            confirmLabel={t('accounts.revoke')}
            danger
            onConfirm={() => revokeAuthorisation(item.serverId)}
            onClose={() => setRevoking(undefined)}
          >
            <p>{t('accounts.revokeWarning', item.serverName)}</p>
          </ConfirmDialog>
        )}
      </Show>
    </>
  );
}

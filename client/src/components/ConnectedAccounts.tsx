/**
 * "Connected accounts": the servers the person has signed in to (their own account at each
 * server's authorisation server), with the scope granted and when, and Revoke, which makes
 * Countersign forget those tokens; the server then asks for a sign-in again.
 */
import { createSignal, For, onMount, Show } from 'solid-js';
import type { McpAuthorisation } from '../api/types.ts';
import { authorisations, loadAuthorisations, revokeAuthorisation } from '../state/authorisations.ts';
import { ConfirmDialog } from './ConfirmDialog.tsx';

const when = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function ConnectedAccounts() {
  const [revoking, setRevoking] = createSignal<McpAuthorisation>();
  onMount(() => void loadAuthorisations());

  return (
    <>
      <Show when={authorisations.error || authorisations.items.length > 0}>
        <section class="connected-accounts" aria-labelledby="connected-accounts-title">
          <h3 id="connected-accounts-title" class="section-title">
            Connected accounts
          </h3>
          <p class="muted small-text">Servers you signed in to. Their tools act as you there.</p>
          <Show when={authorisations.error}>
            <p class="form-error" role="alert">
              Could not load your connected accounts: {authorisations.error}
            </p>
          </Show>
          <ul class="account-list">
            <For each={authorisations.items}>
              {(item) => (
                <li class="account-entry">
                  <div>
                    <strong>{item.serverName}</strong>
                    <p class="muted small-text">
                      Signed in {when.format(new Date(item.authorisedAt))}
                      <Show when={item.scope}>{(scope) => <> · access: {scope()}</>}</Show>
                    </p>
                  </div>
                  <button
                    type="button"
                    class="button danger-outline"
                    aria-label={`Revoke your sign-in to ${item.serverName}`}
                    onClick={() => setRevoking(item)}
                  >
                    Revoke
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
            title={`Revoke your sign-in to ${item.serverName}?`}
            confirmLabel="Revoke"
            danger
            onConfirm={() => revokeAuthorisation(item.serverId)}
            onClose={() => setRevoking(undefined)}
          >
            <p>
              Countersign forgets the access {item.serverName} gave it for you, and its tools stop working for you until you sign in again.
            </p>
          </ConfirmDialog>
        )}
      </Show>
    </>
  );
}

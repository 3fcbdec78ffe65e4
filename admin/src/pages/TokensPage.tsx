/** Service API tokens for other services' typed clients: issue (shown once), list, revoke. */
import { createResource, createSignal, For, Show } from 'solid-js';
import type { ResultOf } from '../api/graphql.ts';
import { ApiTokensQuery, IssueApiToken, RevokeApiToken, UsersQuery } from '../api/operations.ts';
import { Badge } from '../components/Badge.tsx';
import { ConfirmDialog } from '../components/ConfirmDialog.tsx';
import { IssuedToken } from '../components/IssuedToken.tsx';
import { ErrorNotice, StatusNotice } from '../components/Notice.tsx';
import { createAction } from '../lib/action.ts';
import { api, describeError, formatTime } from '../lib/api.ts';

type Token = ResultOf<typeof ApiTokensQuery>['apiTokens'][number];
const who = (u: Token['user']) => u?.name ?? u?.email ?? '(deleted)';

export function TokensPage() {
  const [showRevoked, setShowRevoked] = createSignal(false);
  // The source is an object: a resource whose source is `false` never fetches.
  const [tokens, { refetch, mutate }] = createResource(
    () => ({ includeRevoked: showRevoked() }),
    (variables) => api(ApiTokensQuery, variables).then((r) => r.apiTokens),
  );
  const [people] = createResource(() => api(UsersQuery, { limit: 100 }).then((r) => r.users.items.filter((u) => !u.disabled)));
  const [mode, setMode] = createSignal<'service' | 'user'>('service');
  const [issued, setIssued] = createSignal<string | null>(null);

  const issue = createAction(async (form: HTMLFormElement) => {
    const data = new FormData(form);
    const days = String(data.get('expires') ?? '').trim();
    const result = await api(IssueApiToken, {
      input: {
        label: String(data.get('label') ?? ''),
        serviceAccountName: mode() === 'service' ? String(data.get('account') ?? '') : null,
        userId: mode() === 'user' ? String(data.get('user') ?? '') : null,
        expiresInDays: days ? Number(days) : null,
      },
    });
    setIssued(result.issueApiToken.token);
    setRevoked(null);
    // Only the typed fields are cleared: form.reset() would also uncheck the "acts as" choice.
    for (const name of ['label', 'expires', 'account']) {
      const input = form.elements.namedItem(name);
      if (input instanceof HTMLInputElement) input.value = '';
    }
    await refetch();
  });
  const [revoking, setRevoking] = createSignal<Token>();
  const [revoked, setRevoked] = createSignal<string | null>(null);
  // Where focus goes once a revoked token's row, and the button that opened the dialog, are gone.
  let listHeading: HTMLHeadingElement | undefined;
  /** The answer updates the list at once: the row leaves it, or shows "revoked" when those are shown. */
  const revoke = async (token: Token) => {
    const after = (await api(RevokeApiToken, { id: token.id })).revokeApiToken;
    mutate((list) => list?.flatMap((t) => (t.id !== token.id ? [t] : showRevoked() && after ? [after] : [])));
    setRevoked(`“${token.label}” is revoked: services using it are refused from now on.`);
  };

  return (
    <section aria-labelledby="tokens-title">
      <h1 id="tokens-title">Service tokens</h1>
      <p class="lead">
        Other services use the typed client with <code>Authorization: Bearer cs_…</code>, acting as the account the token names.
      </p>
      <form
        class="panel"
        aria-label="Issue a token"
        onSubmit={(e) => {
          e.preventDefault();
          void issue.perform(e.currentTarget);
        }}
      >
        <h2>Issue a token</h2>
        <div class="grid two">
          <label class="field">
            <span class="field-label">Label (what uses it)</span>
            <input class="input" name="label" required maxLength={80} placeholder="Reporting service" />
          </label>
          <label class="field">
            <span class="field-label">Expires after (days, empty: until revoked)</span>
            <input class="input" name="expires" type="number" min="1" max="3650" />
          </label>
        </div>
        <fieldset class="choice-row">
          <legend class="field-label">Acts as</legend>
          <label class="checkbox">
            <input type="radio" name="mode" checked={mode() === 'service'} onChange={() => setMode('service')} /> A service account
          </label>
          <label class="checkbox">
            <input type="radio" name="mode" checked={mode() === 'user'} onChange={() => setMode('user')} /> An existing user
          </label>
        </fieldset>
        <Show
          when={mode() === 'user'}
          fallback={
            <label class="field">
              <span class="field-label">Service account name (created if new)</span>
              <input class="input" name="account" required maxLength={80} placeholder="reporting" />
            </label>
          }
        >
          <label class="field">
            <span class="field-label">User</span>
            <select class="input" name="user" required>
              <For each={people()}>{(u) => <option value={u.id}>{u.name ?? u.email ?? u.id}</option>}</For>
            </select>
          </label>
        </Show>
        <ErrorNotice message={issue.error()} />
        <button class="button primary" type="submit" disabled={issue.busy()}>
          Issue token
        </button>
      </form>
      <Show when={issued()}>{(token) => <IssuedToken token={token()} onDone={() => setIssued(null)} />}</Show>
      <div class="page-head">
        <h2 ref={listHeading} tabindex="-1">
          Tokens
        </h2>
        <label class="checkbox">
          <input type="checkbox" checked={showRevoked()} onChange={(e) => setShowRevoked(e.currentTarget.checked)} /> Show revoked
        </label>
      </div>
      <ErrorNotice message={tokens.error ? describeError(tokens.error) : null} />
      <Show when={revoked()}>{(said) => <StatusNotice>{said()}</StatusNotice>}</Show>
      <table class="table">
        <caption class="sr-only">Service tokens</caption>
        <thead>
          <tr>
            <th scope="col">Label</th>
            <th scope="col">Acts as</th>
            <th scope="col">Issued</th>
            <th scope="col">Last used</th>
            <th scope="col">Status</th>
            <th scope="col">
              <span class="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          <For
            each={tokens()}
            fallback={
              <tr>
                <td colspan="6">{tokens.loading ? 'Loading…' : 'No tokens.'}</td>
              </tr>
            }
          >
            {(token) => (
              <tr aria-label={token.label}>
                <td class="strong">{token.label}</td>
                <td>{who(token.user)}</td>
                <td>
                  {formatTime(token.createdAt)}
                  <div class="muted small">by {who(token.createdBy)}</div>
                </td>
                <td>{formatTime(token.lastUsedAt)}</td>
                <td>
                  <Badge tone={token.status === 'ACTIVE' ? 'ok' : 'muted'}>{token.status.toLowerCase()}</Badge>
                  <Show when={token.expiresAt && token.status === 'ACTIVE'}>
                    <div class="muted small">until {formatTime(token.expiresAt)}</div>
                  </Show>
                </td>
                <td class="actions">
                  <Show when={token.status !== 'REVOKED'}>
                    <button class="button danger-outline" type="button" onClick={() => setRevoking(token)}>
                      Revoke…
                    </button>
                  </Show>
                </td>
              </tr>
            )}
          </For>
        </tbody>
      </table>
      <Show when={revoking()} keyed>
        {(token) => (
          <ConfirmDialog
            title={`Revoke “${token.label}”?`}
            confirmLabel="Revoke"
            danger
            onConfirm={() => revoke(token)}
            onClose={() => setRevoking(undefined)}
            returnFocus={() => listHeading}
          >
            <p>
              It acts as {who(token.user)}. Every request made with it is refused from now on, and connections opened with it close. This
              cannot be undone: a service that still needs access needs a new token.
            </p>
          </ConfirmDialog>
        )}
      </Show>
    </section>
  );
}

/** Service API tokens for other services' typed clients: issue (shown once), list, revoke. */
import { createResource, createSignal, For, Show } from 'solid-js';
import { t } from '../../../shared/i18n/t.ts';
import type { ResultOf } from '../api/graphql.ts';
import { ApiTokensQuery, IssueApiToken, RevokeApiToken, UsersQuery } from '../api/operations.ts';
import { Badge } from '../components/Badge.tsx';
import { ConfirmDialog } from '../components/ConfirmDialog.tsx';
import { IssuedToken } from '../components/IssuedToken.tsx';
import { ErrorNotice, StatusNotice } from '../components/Notice.tsx';
import { createAction } from '../lib/action.ts';
import { api, describeError, formatTime } from '../lib/api.ts';
import { personName } from '../lib/person-name.ts';
import { DataTable } from '../components/DataTable.tsx';

type Token = ResultOf<typeof ApiTokensQuery>['apiTokens'][number];
const who = (u: Token['user']) => u?.name ?? u?.email ?? t('console.tokens.deleted');

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
    setRevoked(t('console.tokens.revoked', token.label));
  };

  return (
    <section aria-labelledby="tokens-title">
      <h1 id="tokens-title">{t('console.tokens.title')}</h1>
      <p class="lead">
        {t('console.tokens.leadStart')} <code>Authorization: Bearer cs_…</code>
        {t('console.tokens.leadEnd')}
      </p>
      <form
        class="panel"
        aria-label={t('console.tokens.issueTitle')}
        onSubmit={(e) => {
          e.preventDefault();
          void issue.perform(e.currentTarget);
        }}
      >
        <h2>{t('console.tokens.issueTitle')}</h2>
        <div class="grid two">
          <label class="field">
            <span class="field-label">{t('console.tokens.label')}</span>
            <input class="input" name="label" required maxLength={80} placeholder={t('console.tokens.labelPlaceholder')} />
          </label>
          <label class="field">
            <span class="field-label">{t('console.tokens.expires')}</span>
            <input class="input" name="expires" type="number" min="1" max="3650" />
          </label>
        </div>
        <fieldset class="choice-row">
          <legend class="field-label">{t('console.tokens.actsAs')}</legend>
          <label class="checkbox">
            <input type="radio" name="mode" checked={mode() === 'service'} onChange={() => setMode('service')} />{' '}
            {t('console.tokens.serviceAccount')}
          </label>
          <label class="checkbox">
            <input type="radio" name="mode" checked={mode() === 'user'} onChange={() => setMode('user')} />{' '}
            {t('console.tokens.existingUser')}
          </label>
        </fieldset>
        <Show
          when={mode() === 'user'}
          fallback={
            <label class="field">
              <span class="field-label">{t('console.tokens.accountName')}</span>
              <input class="input" name="account" required maxLength={80} placeholder={t('console.tokens.accountPlaceholder')} />
            </label>
          }
        >
          <label class="field">
            <span class="field-label">{t('console.common.user')}</span>
            <select class="input" name="user" required>
              <For each={people()}>{(u) => <option value={u.id}>{personName(u)}</option>}</For>
            </select>
          </label>
        </Show>
        <ErrorNotice message={issue.error()} />
        <button class="button primary" type="submit" disabled={issue.busy()}>
          {t('console.tokens.issue')}
        </button>
      </form>
      <Show when={issued()}>{(token) => <IssuedToken token={token()} onDone={() => setIssued(null)} />}</Show>
      <div class="page-head">
        <h2 ref={listHeading} tabindex="-1">
          {t('console.tokens.list')}
        </h2>
        <label class="checkbox">
          <input type="checkbox" checked={showRevoked()} onChange={(e) => setShowRevoked(e.currentTarget.checked)} />{' '}
          {t('console.tokens.showRevoked')}
        </label>
      </div>
      <ErrorNotice message={tokens.error ? describeError(tokens.error) : null} />
      <Show when={revoked()}>{(said) => <StatusNotice>{said()}</StatusNotice>}</Show>
      <DataTable
        caption={t('console.tokens.title')}
        columns={[
          { label: t('console.tokens.labelColumn') },
          { label: t('console.tokens.actsAs') },
          { label: t('console.tokens.issued') },
          { label: t('console.tokens.lastUsed') },
          { label: t('console.common.status') },
          { label: t('console.common.actions'), visuallyHidden: true },
        ]}
        rows={tokens()}
        empty={tokens.loading ? t('console.common.loading') : t('console.tokens.empty')}
      >
        {(token) => (
          <tr aria-label={token.label}>
            <td class="strong">{token.label}</td>
            <td>{who(token.user)}</td>
            <td>
              {formatTime(token.createdAt)}
              <div class="muted small">{t('console.common.by', who(token.createdBy))}</div>
            </td>
            <td>{formatTime(token.lastUsedAt)}</td>
            <td>
              <Badge tone={token.status === 'ACTIVE' ? 'ok' : 'muted'}>{t(`console.tokens.statuses.${token.status}`)}</Badge>
              <Show when={token.expiresAt && token.status === 'ACTIVE'}>
                <div class="muted small">{t('console.tokens.until', formatTime(token.expiresAt))}</div>
              </Show>
            </td>
            <td class="actions">
              <Show when={token.status !== 'REVOKED'}>
                <button class="button danger-outline" type="button" onClick={() => setRevoking(token)}>
                  {t('console.tokens.revokeAsk')}
                </button>
              </Show>
            </td>
          </tr>
        )}
      </DataTable>
      <Show when={revoking()} keyed>
        {(token) => (
          <ConfirmDialog
            title={t('console.tokens.revokeTitle', token.label)}
            confirmLabel={t('console.tokens.revoke')}
            danger
            onConfirm={() => revoke(token)}
            onClose={() => setRevoking(undefined)}
            returnFocus={() => listHeading}
          >
            <p>{t('console.tokens.revokeText', who(token.user))}</p>
          </ConfirmDialog>
        )}
      </Show>
    </section>
  );
}

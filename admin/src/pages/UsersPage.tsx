/** People and service accounts: find them, change their role, disable them, end their sessions. */
import { createResource, createSignal, Index, Show } from 'solid-js';
import { t } from '../../../shared/i18n/t.ts';
import type { ResultOf } from '../api/graphql.ts';
import { EndUserSessions, MeQuery, SetUserDisabled, SetUserRole, UsersQuery } from '../api/operations.ts';
import { Badge } from '../components/Badge.tsx';
import { ConfirmDialog } from '../components/ConfirmDialog.tsx';
import { ErrorNotice, StatusNotice } from '../components/Notice.tsx';
import { Pager } from '../components/Pager.tsx';
import { createAction } from '../lib/action.ts';
import { api, describeError, formatTime } from '../lib/api.ts';
import { personName } from '../lib/person-name.ts';

type User = ResultOf<typeof UsersQuery>['users']['items'][number];
type Role = User['role'];
const PAGE = 25;

/** An action waiting for the admin's yes: its select is put back if they cancel a role change. */
type Pending = { kind: 'disable'; user: User } | { kind: 'role'; user: User; role: Role; select: HTMLSelectElement };

export function UsersPage() {
  const [search, setSearch] = createSignal('');
  const [offset, setOffset] = createSignal(0);
  const [me] = createResource(() => api(MeQuery).then((r) => r.me));
  const [page, { mutate }] = createResource(
    () => ({ search: search(), offset: offset() }),
    (q) => api(UsersQuery, { search: q.search || null, limit: PAGE, offset: q.offset }).then((r) => r.users),
  );
  const replace = (user: User) => mutate((p) => p && { ...p, items: p.items.map((u) => (u.id === user.id ? user : u)) });
  const [pending, setPending] = createSignal<Pending>();
  // What the last confirmed action did; any later action makes it stale.
  const [notice, setNotice] = createSignal<string | null>(null);
  const act = createAction(async (run: () => Promise<User>) => {
    setNotice(null);
    replace(await run());
  });
  const current = (id: string) => page()?.items.find((u) => u.id === id);
  const setRole = async (user: User, role: Role) => {
    replace((await api(SetUserRole, { id: user.id, role })).setUserRole);
    setNotice(role === 'ADMIN' ? t('console.users.nowAdmin', personName(user)) : t('console.users.nowUser', personName(user)));
  };
  const disable = async (user: User) => {
    replace((await api(SetUserDisabled, { id: user.id, disabled: true })).setUserDisabled);
    setNotice(t('console.users.disabledNotice', personName(user)));
  };
  let searchTimer: ReturnType<typeof setTimeout> | undefined;

  return (
    <section aria-labelledby="users-title">
      <h1 id="users-title">{t('console.users.title')}</h1>
      <div class="toolbar">
        <label class="field grow">
          <span class="field-label">{t('console.users.search')}</span>
          <input
            class="input"
            type="search"
            onInput={(e) => {
              const value = e.currentTarget.value;
              clearTimeout(searchTimer);
              searchTimer = setTimeout(() => {
                setOffset(0);
                setSearch(value.trim());
              }, 250);
            }}
          />
        </label>
      </div>
      <ErrorNotice message={act.error() ?? (page.error ? describeError(page.error) : null)} />
      <Show when={notice()}>{(said) => <StatusNotice>{said()}</StatusNotice>}</Show>
      <table class="table">
        <caption class="sr-only">{t('console.users.title')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('console.common.person')}</th>
            <th scope="col">{t('console.users.role')}</th>
            <th scope="col">{t('console.common.status')}</th>
            <th scope="col">{t('console.users.lastSignIn')}</th>
            <th scope="col">{t('console.users.connected')}</th>
            <th scope="col">
              <span class="sr-only">{t('console.common.actions')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {/* Index, not For: a row keeps its elements when its person is updated, so focus stays on its controls. */}
          <Index
            each={page()?.items}
            fallback={
              <tr>
                <td colspan="6">{page.loading ? t('console.common.loading') : t('console.users.noMatch')}</td>
              </tr>
            }
          >
            {(user) => {
              const self = () => me()?.id === user().id;
              const label = () => personName(user());
              return (
                <tr aria-label={label()}>
                  <td>
                    <span class="strong">{user().name ?? t('console.users.noName')}</span>
                    <div class="muted small">{user().email ?? (user().serviceAccount ? t('console.users.serviceAccount') : '')}</div>
                  </td>
                  <td>
                    <Show
                      when={!user().configuredAdmin}
                      fallback={
                        <>
                          {t('console.users.admin')}
                          <div class="muted small">{t('console.users.byConfiguration')}</div>
                        </>
                      }
                    >
                      <select
                        class="input compact"
                        aria-label={t('console.users.roleOf', label())}
                        value={user().role}
                        disabled={act.busy() || (self() && user().role === 'ADMIN')}
                        onChange={(e) =>
                          setPending({ kind: 'role', user: user(), role: e.currentTarget.value as Role, select: e.currentTarget })
                        }
                      >
                        <option value="USER">{t('console.users.roles.USER')}</option>
                        <option value="ADMIN">{t('console.users.roles.ADMIN')}</option>
                      </select>
                    </Show>
                    <Show when={user().groups.length > 0}>
                      <div class="muted small mono">{t('console.users.inGroups', user().groups.join(', '))}</div>
                    </Show>
                  </td>
                  <td>
                    <Badge tone={user().disabled ? 'danger' : 'ok'}>
                      {user().disabled ? t('console.common.disabled') : t('console.users.active')}
                    </Badge>
                    <div class="muted small">{t('console.users.sessions', user().sessions.length)}</div>
                  </td>
                  <td>{formatTime(user().lastSignInAt)}</td>
                  <td class="small">
                    {user()
                      .connections.map((c) => c.serverName)
                      .join(', ') || '—'}
                  </td>
                  <td class="actions">
                    <button
                      class={`button ${user().disabled ? '' : 'danger-outline'}`}
                      type="button"
                      disabled={act.busy() || self()}
                      onClick={() =>
                        user().disabled
                          ? void act.perform(async () => (await api(SetUserDisabled, { id: user().id, disabled: false })).setUserDisabled)
                          : setPending({ kind: 'disable', user: user() })
                      }
                    >
                      {user().disabled ? t('console.common.enable') : t('console.users.disableAsk')}
                    </button>
                    <button
                      class="button"
                      type="button"
                      disabled={act.busy() || user().sessions.length === 0}
                      onClick={() => void act.perform(async () => (await api(EndUserSessions, { id: user().id })).endUserSessions)}
                    >
                      {t('console.users.endSessions')}
                    </button>
                  </td>
                </tr>
              );
            }}
          </Index>
        </tbody>
      </table>
      <Show when={page()}>
        {(p) => (
          <Pager label={t('console.users.title')} offset={p().offset} limit={p().limit} total={p().totalCount} onChange={setOffset} />
        )}
      </Show>
      <Show when={pending()} keyed>
        {(asked) =>
          asked.kind === 'disable' ? (
            <ConfirmDialog
              title={t('console.users.disableTitle', personName(asked.user))}
              confirmLabel={t('console.common.disable')}
              danger
              onConfirm={() => disable(asked.user)}
              onClose={() => setPending(undefined)}
            >
              <p>{t('console.users.disableText', personName(asked.user))}</p>
            </ConfirmDialog>
          ) : (
            <ConfirmDialog
              title={
                asked.role === 'ADMIN'
                  ? t('console.users.makeAdminTitle', personName(asked.user))
                  : t('console.users.removeAdminTitle', personName(asked.user))
              }
              confirmLabel={asked.role === 'ADMIN' ? t('console.users.makeAdmin') : t('console.users.removeAdmin')}
              danger={asked.role === 'USER'}
              onConfirm={() => setRole(asked.user, asked.role)}
              onClose={() => {
                // A cancelled change puts the select back; a made one already shows the new role.
                asked.select.value = current(asked.user.id)?.role ?? asked.user.role;
                setPending(undefined);
              }}
            >
              <p>
                {asked.role === 'ADMIN'
                  ? t('console.users.adminCan', personName(asked.user))
                  : t('console.users.userCannot', personName(asked.user))}
              </p>
              <p>{t('console.users.roleSignedOut', personName(asked.user))}</p>
            </ConfirmDialog>
          )
        }
      </Show>
    </section>
  );
}

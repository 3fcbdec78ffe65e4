/** People and service accounts: find them, change their role, disable them, end their sessions. */
import { createResource, createSignal, For, Show } from 'solid-js';
import type { ResultOf } from '../api/graphql.ts';
import { EndUserSessions, MeQuery, SetUserDisabled, SetUserRole, UsersQuery } from '../api/operations.ts';
import { Badge } from '../components/Badge.tsx';
import { ErrorNotice } from '../components/Notice.tsx';
import { Pager } from '../components/Pager.tsx';
import { createAction } from '../lib/action.ts';
import { api, describeError, formatTime } from '../lib/api.ts';

type User = ResultOf<typeof UsersQuery>['users']['items'][number];
const PAGE = 25;

export function UsersPage() {
  const [search, setSearch] = createSignal('');
  const [offset, setOffset] = createSignal(0);
  const [me] = createResource(() => api(MeQuery).then((r) => r.me));
  const [page, { mutate }] = createResource(
    () => ({ search: search(), offset: offset() }),
    (q) => api(UsersQuery, { search: q.search || null, limit: PAGE, offset: q.offset }).then((r) => r.users),
  );
  const replace = (user: User) => mutate((p) => p && { ...p, items: p.items.map((u) => (u.id === user.id ? user : u)) });
  const act = createAction(async (run: () => Promise<User>) => replace(await run()));
  let searchTimer: ReturnType<typeof setTimeout> | undefined;

  return (
    <section aria-labelledby="users-title">
      <h1 id="users-title">Users</h1>
      <div class="toolbar">
        <label class="field grow">
          <span class="field-label">Search by name or email</span>
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
      <table class="table">
        <caption class="sr-only">Users</caption>
        <thead>
          <tr>
            <th scope="col">Person</th>
            <th scope="col">Role</th>
            <th scope="col">Status</th>
            <th scope="col">Last sign-in</th>
            <th scope="col">Connected servers</th>
            <th scope="col">
              <span class="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          <For
            each={page()?.items}
            fallback={
              <tr>
                <td colspan="6">{page.loading ? 'Loading…' : 'No one matches.'}</td>
              </tr>
            }
          >
            {(user) => {
              const self = () => me()?.id === user.id;
              const label = user.name ?? user.email ?? user.id;
              return (
                <tr aria-label={label}>
                  <td>
                    <span class="strong">{user.name ?? '(no name)'}</span>
                    <div class="muted small">{user.email ?? (user.serviceAccount ? 'service account' : '')}</div>
                  </td>
                  <td>
                    <Show
                      when={!user.configuredAdmin}
                      fallback={
                        <>
                          Admin
                          <div class="muted small">by configuration (ADMINS)</div>
                        </>
                      }
                    >
                      <select
                        class="input compact"
                        aria-label={`Role of ${label}`}
                        value={user.role}
                        disabled={act.busy() || (self() && user.role === 'ADMIN')}
                        onChange={(e) => {
                          const role = e.currentTarget.value as User['role'];
                          void act.perform(async () => (await api(SetUserRole, { id: user.id, role })).setUserRole);
                        }}
                      >
                        <option value="USER">User</option>
                        <option value="ADMIN">Admin</option>
                      </select>
                    </Show>
                  </td>
                  <td>
                    <Badge tone={user.disabled ? 'danger' : 'ok'}>{user.disabled ? 'Disabled' : 'Active'}</Badge>
                    <div class="muted small">
                      {user.sessions.length} {user.sessions.length === 1 ? 'session' : 'sessions'}
                    </div>
                  </td>
                  <td>{formatTime(user.lastSignInAt)}</td>
                  <td class="small">{user.connections.map((c) => c.serverName).join(', ') || '—'}</td>
                  <td class="actions">
                    <button
                      class={`button ${user.disabled ? '' : 'danger-outline'}`}
                      type="button"
                      disabled={act.busy() || self()}
                      onClick={() =>
                        void act.perform(
                          async () => (await api(SetUserDisabled, { id: user.id, disabled: !user.disabled })).setUserDisabled,
                        )
                      }
                    >
                      {user.disabled ? 'Enable' : 'Disable'}
                    </button>
                    <button
                      class="button"
                      type="button"
                      disabled={act.busy() || user.sessions.length === 0}
                      onClick={() => void act.perform(async () => (await api(EndUserSessions, { id: user.id })).endUserSessions)}
                    >
                      End sessions
                    </button>
                  </td>
                </tr>
              );
            }}
          </For>
        </tbody>
      </table>
      <Show when={page()}>
        {(p) => <Pager label="Users" offset={p().offset} limit={p().limit} total={p().totalCount} onChange={setOffset} />}
      </Show>
    </section>
  );
}

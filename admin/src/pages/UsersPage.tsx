/** People and service accounts: find them, change their role, disable them, end their sessions. */
import { createResource, createSignal, Index, Show } from 'solid-js';
import type { ResultOf } from '../api/graphql.ts';
import { EndUserSessions, MeQuery, SetUserDisabled, SetUserRole, UsersQuery } from '../api/operations.ts';
import { Badge } from '../components/Badge.tsx';
import { ConfirmDialog } from '../components/ConfirmDialog.tsx';
import { ErrorNotice, StatusNotice } from '../components/Notice.tsx';
import { Pager } from '../components/Pager.tsx';
import { createAction } from '../lib/action.ts';
import { api, describeError, formatTime } from '../lib/api.ts';

type User = ResultOf<typeof UsersQuery>['users']['items'][number];
type Role = User['role'];
const PAGE = 25;

const nameOf = (user: User) => user.name ?? user.email ?? user.id;
const roleName = (role: Role) => (role === 'ADMIN' ? 'an admin' : 'a user');
/** What a role change and disabling both do at once, said before either is made. */
const SIGNED_OUT = 'signed out everywhere at once: their open chats and pages go to the sign-in page';

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
    setNotice(`${nameOf(user)} is now ${roleName(role)}. They were signed out everywhere; the new role applies when they sign in again.`);
  };
  const disable = async (user: User) => {
    replace((await api(SetUserDisabled, { id: user.id, disabled: true })).setUserDisabled);
    setNotice(`${nameOf(user)} is disabled and was signed out everywhere.`);
  };
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
      <Show when={notice()}>{(said) => <StatusNotice>{said()}</StatusNotice>}</Show>
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
          {/* Index, not For: a row keeps its elements when its person is updated, so focus stays on its controls. */}
          <Index
            each={page()?.items}
            fallback={
              <tr>
                <td colspan="6">{page.loading ? 'Loading…' : 'No one matches.'}</td>
              </tr>
            }
          >
            {(user) => {
              const self = () => me()?.id === user().id;
              const label = () => nameOf(user());
              return (
                <tr aria-label={label()}>
                  <td>
                    <span class="strong">{user().name ?? '(no name)'}</span>
                    <div class="muted small">{user().email ?? (user().serviceAccount ? 'service account' : '')}</div>
                  </td>
                  <td>
                    <Show
                      when={!user().configuredAdmin}
                      fallback={
                        <>
                          Admin
                          <div class="muted small">by configuration (ADMINS)</div>
                        </>
                      }
                    >
                      <select
                        class="input compact"
                        aria-label={`Role of ${label()}`}
                        value={user().role}
                        disabled={act.busy() || (self() && user().role === 'ADMIN')}
                        onChange={(e) =>
                          setPending({ kind: 'role', user: user(), role: e.currentTarget.value as Role, select: e.currentTarget })
                        }
                      >
                        <option value="USER">User</option>
                        <option value="ADMIN">Admin</option>
                      </select>
                    </Show>
                  </td>
                  <td>
                    <Badge tone={user().disabled ? 'danger' : 'ok'}>{user().disabled ? 'Disabled' : 'Active'}</Badge>
                    <div class="muted small">
                      {user().sessions.length} {user().sessions.length === 1 ? 'session' : 'sessions'}
                    </div>
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
                      {user().disabled ? 'Enable' : 'Disable…'}
                    </button>
                    <button
                      class="button"
                      type="button"
                      disabled={act.busy() || user().sessions.length === 0}
                      onClick={() => void act.perform(async () => (await api(EndUserSessions, { id: user().id })).endUserSessions)}
                    >
                      End sessions
                    </button>
                  </td>
                </tr>
              );
            }}
          </Index>
        </tbody>
      </table>
      <Show when={page()}>
        {(p) => <Pager label="Users" offset={p().offset} limit={p().limit} total={p().totalCount} onChange={setOffset} />}
      </Show>
      <Show when={pending()} keyed>
        {(asked) =>
          asked.kind === 'disable' ? (
            <ConfirmDialog
              title={`Disable ${nameOf(asked.user)}?`}
              confirmLabel="Disable"
              danger
              onConfirm={() => disable(asked.user)}
              onClose={() => setPending(undefined)}
            >
              <p>
                {nameOf(asked.user)} is {SIGNED_OUT}. Any answer being written for them stops, they cannot sign in, and service tokens
                acting as them are refused, until an admin enables them again.
              </p>
            </ConfirmDialog>
          ) : (
            <ConfirmDialog
              title={asked.role === 'ADMIN' ? `Make ${nameOf(asked.user)} an admin?` : `Remove ${nameOf(asked.user)}'s admin role?`}
              confirmLabel={asked.role === 'ADMIN' ? 'Make admin' : 'Remove admin role'}
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
                  ? `${nameOf(asked.user)} can then manage the catalogue, people, service tokens and the audit log here.`
                  : `${nameOf(asked.user)} can no longer use this console.`}
              </p>
              <p>
                {nameOf(asked.user)} is {SIGNED_OUT}. The new role applies when they sign in again.
              </p>
            </ConfirmDialog>
          )
        }
      </Show>
    </section>
  );
}

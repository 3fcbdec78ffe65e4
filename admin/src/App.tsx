/** The console's frame: who is signed in, the sections, and the page for the current path. */
import { createResource, type JSX, Match, Show, Switch } from 'solid-js';
import { MeQuery } from './api/operations.ts';
import { api } from './lib/api.ts';
import { link, path } from './lib/router.ts';
import { AuditPage } from './pages/AuditPage.tsx';
import { ServerPage } from './pages/ServerPage.tsx';
import { ServersPage } from './pages/ServersPage.tsx';
import { TokensPage } from './pages/TokensPage.tsx';
import { UsersPage } from './pages/UsersPage.tsx';

const SECTIONS = [
  { href: '/', label: 'Catalogue', matches: (p: string) => p === '/' || p.startsWith('/servers') },
  { href: '/users', label: 'Users', matches: (p: string) => p.startsWith('/users') },
  { href: '/audit', label: 'Audit log', matches: (p: string) => p.startsWith('/audit') },
  { href: '/tokens', label: 'Service tokens', matches: (p: string) => p.startsWith('/tokens') },
];

function NavLink(props: { href: string; active: boolean; children: JSX.Element }) {
  return (
    <a href={`/admin${props.href}`} onClick={link} aria-current={props.active ? 'page' : undefined}>
      {props.children}
    </a>
  );
}

export function App() {
  const [me] = createResource(() => api(MeQuery));
  const serverId = () => /^\/servers\/([^/]+)$/.exec(path())?.[1];

  return (
    <div class="shell">
      <header class="topbar">
        <a class="brand" href="/admin/" onClick={link}>
          Countersign <span>admin</span>
        </a>
        <nav aria-label="Sections">
          {SECTIONS.map((s) => (
            <NavLink href={s.href} active={s.matches(path())}>
              {s.label}
            </NavLink>
          ))}
        </nav>
        <div class="who">
          <Show when={me()?.me}>{(user) => <span>{user().name ?? user().email}</span>}</Show>
          <a href="/">Chat</a>
          <form method="post" action="/auth/logout">
            <button class="link-button" type="submit">
              Sign out
            </button>
          </form>
        </div>
      </header>
      <main class="content">
        <Switch fallback={<p>There is no such page in the admin console.</p>}>
          <Match when={path() === '/'}>
            <ServersPage />
          </Match>
          <Match when={path() === '/servers/new'}>
            <ServerPage serverId={null} />
          </Match>
          <Match when={serverId()}>{(id) => <ServerPage serverId={decodeURIComponent(id())} />}</Match>
          <Match when={path() === '/users'}>
            <UsersPage />
          </Match>
          <Match when={path() === '/audit'}>
            <AuditPage />
          </Match>
          <Match when={path() === '/tokens'}>
            <TokensPage />
          </Match>
        </Switch>
      </main>
    </div>
  );
}

/** The console's frame: who is signed in, the sections, and the page for the current path. */
import { createEffect, createResource, type JSX, Match, Show, Switch } from 'solid-js';
import { chooseLocale } from '../../shared/i18n/locale.ts';
import { t } from '../../shared/i18n/t.ts';
import { LOCALES, type ThemeChoice } from '../../shared/settings.ts';
import { applyTheme } from '../../shared/styles/theme.ts';
import { MeQuery } from './api/operations.ts';
import { api } from './lib/api.ts';
import { link, path } from './lib/router.ts';
import { AuditPage } from './pages/AuditPage.tsx';
import { ModelPage } from './pages/ModelPage.tsx';
import { ModelsPage } from './pages/ModelsPage.tsx';
import { ServerPage } from './pages/ServerPage.tsx';
import { ServersPage } from './pages/ServersPage.tsx';
import { TokensPage } from './pages/TokensPage.tsx';
import { UsagePage } from './pages/UsagePage.tsx';
import { UsersPage } from './pages/UsersPage.tsx';

const SECTIONS = [
  { href: '/', label: () => t('console.nav.catalogue'), matches: (p: string) => p === '/' || p.startsWith('/servers') },
  { href: '/models', label: () => t('console.nav.models'), matches: (p: string) => p.startsWith('/models') },
  { href: '/usage', label: () => t('console.nav.usage'), matches: (p: string) => p.startsWith('/usage') },
  { href: '/users', label: () => t('console.nav.users'), matches: (p: string) => p.startsWith('/users') },
  { href: '/audit', label: () => t('console.nav.audit'), matches: (p: string) => p.startsWith('/audit') },
  { href: '/tokens', label: () => t('console.nav.tokens'), matches: (p: string) => p.startsWith('/tokens') },
];

function NavLink(props: { href: string; active: boolean; children: JSX.Element }) {
  return (
    <a href={`/admin${props.href}`} onClick={link} aria-current={props.active ? 'page' : undefined}>
      {props.children}
    </a>
  );
}

/** The `/section/<id>` part of the path, for the pages of one server or model. */
const idIn = (section: string) => {
  const id = new RegExp(`^/${section}/([^/]+)$`).exec(path())?.[1];
  return id === undefined || id === 'new' ? undefined : decodeURIComponent(id);
};

export function App() {
  const [me] = createResource(() => api(MeQuery));
  // The person's own language and theme, as they chose them in the web chat.
  createEffect(() => {
    const viewer = me()?.me;
    if (!viewer) return;
    chooseLocale(LOCALES.find((locale) => locale === viewer.locale) ?? null);
    applyTheme(viewer.theme.toLowerCase() as ThemeChoice);
  });
  createEffect(() => {
    document.title = t('console.documentTitle');
  });

  return (
    <div class="shell">
      <header class="topbar">
        <a class="brand" href="/admin/" onClick={link}>
          Countersign <span>{t('console.nav.brandSuffix')}</span>
        </a>
        <nav aria-label={t('console.nav.sections')}>
          {SECTIONS.map((s) => (
            <NavLink href={s.href} active={s.matches(path())}>
              {s.label()}
            </NavLink>
          ))}
        </nav>
        <div class="who">
          <Show when={me()?.me}>{(user) => <span>{user().name ?? user().email}</span>}</Show>
          <a href="/">{t('console.nav.chat')}</a>
          <form method="post" action="/auth/logout">
            <button class="link-button" type="submit">
              {t('console.nav.signOut')}
            </button>
          </form>
        </div>
      </header>
      <main class="content">
        <Switch fallback={<p>{t('console.nav.noSuchPage')}</p>}>
          <Match when={path() === '/'}>
            <ServersPage />
          </Match>
          <Match when={path() === '/servers/new'}>
            <ServerPage serverId={null} />
          </Match>
          <Match when={idIn('servers')}>{(id) => <ServerPage serverId={id()} />}</Match>
          <Match when={path() === '/models'}>
            <ModelsPage />
          </Match>
          <Match when={path() === '/models/new'}>
            <ModelPage modelId={null} />
          </Match>
          <Match when={idIn('models')}>{(id) => <ModelPage modelId={id()} />}</Match>
          <Match when={path() === '/usage'}>
            <UsagePage />
          </Match>
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

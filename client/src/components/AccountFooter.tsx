/**
 * Who is signed in, their settings, the way to the admin console for admins, and Sign out. Sign-out is a plain
 * form POST to /auth/logout, which ends the session on the server and shows the signed-out page.
 */
import { createSignal, Show } from 'solid-js';
import { markSigningOut } from '../api/errors.ts';
import type { SessionInfo } from '../api/types.ts';
import { Icon } from './Icon.tsx';
import { SettingsDialog } from './SettingsDialog.tsx';
import { t } from '../../../shared/i18n/t.ts';

export function AccountFooter(props: { session: SessionInfo }) {
  const user = () => props.session.user;
  const [settingsOpen, setSettingsOpen] = createSignal(false);
  const displayName = () => user().name ?? user().email ?? t('account.signedIn');
  const initials = () =>
    displayName()
      .split(/[\s@.]+/)
      .filter(Boolean)
      .slice(0, 2)
      .map((part) => part[0]!.toUpperCase())
      .join('');
  return (
    <div class="account">
      <Show when={props.session.devSignIn}>
        <p class="badge warn" title={t('account.devSignInWarning')}>
          {t('account.devSignIn')}
        </p>
      </Show>
      <button type="button" class="button small" aria-haspopup="dialog" onClick={() => setSettingsOpen(true)}>
        {t('account.settings')}
      </button>
      <Show when={settingsOpen()}>
        <SettingsDialog onClose={() => setSettingsOpen(false)} />
      </Show>
      <Show when={user().role === 'admin'}>
        <a class="button small" href="/admin/">
          {t('account.adminConsole')}
        </a>
      </Show>
      <div class="account-row">
        {/* Named in full: initials alone do not tell Uma User from Ulf User. */}
        <span class="avatar" role="img" aria-label={displayName()}>
          {initials()}
        </span>
        <span class="account-who">
          <span class="account-name">{displayName()}</span>
          <Show when={user().email && user().name}>
            <span class="account-email">{user().email}</span>
          </Show>
        </span>
        <form method="post" action="/auth/logout" onSubmit={markSigningOut}>
          <button type="submit" class="icon-button" aria-label={t('account.signOut')} title={t('account.signOut')}>
            <Icon name="logout" />
          </button>
        </form>
      </div>
    </div>
  );
}

/** "Sign in to <server>": a plain link, so the whole tab goes to the server's sign-in and comes back to this page. */
import { serverSignInHref } from '../lib/server-sign-in.ts';
import { currentPath } from '../state/route.ts';
import { t } from '../../../shared/i18n/t.ts';

export function SignInLink(props: { serverId: string; serverName: string; class?: string }) {
  return (
    <a class={props.class ?? 'button primary'} href={serverSignInHref(props.serverId, currentPath())}>
      {t('signIn.to', props.serverName)}
    </a>
  );
}

/** Above the composer: servers this chat needs that wait for the person's sign-in, each with its sign-in link. */
import { For, Show } from 'solid-js';
import type { ServerDto } from '../api/types.ts';
import { SignInLink } from './SignInLink.tsx';
import { t } from '../../../shared/i18n/t.ts';

export function SignInBanner(props: { servers: ServerDto[] }) {
  return (
    <Show when={props.servers.length > 0}>
      <div class="sign-in-banners">
        <For each={props.servers}>
          {(server) => (
            <div class="banner warn" role="status" aria-label={t('signIn.needed', server.name)}>
              <span>
                <strong>{server.name}</strong> {t('signIn.bannerTail')}
              </span>
              <SignInLink serverId={server.id} serverName={server.name} class="button primary small" />
            </div>
          )}
        </For>
      </div>
    </Show>
  );
}

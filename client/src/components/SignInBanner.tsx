/** Above the composer: servers this chat needs that wait for the person's sign-in, each with its sign-in link. */
import { For, Show } from 'solid-js';
import type { ServerDto } from '../api/types.ts';
import { SignInLink } from './SignInLink.tsx';

export function SignInBanner(props: { servers: ServerDto[] }) {
  return (
    <Show when={props.servers.length > 0}>
      <div class="sign-in-banners">
        <For each={props.servers}>
          {(server) => (
            <div class="banner warn" role="status" aria-label={`${server.name} needs you to sign in`}>
              <span>
                <strong>{server.name}</strong> needs you to sign in before the assistant can use its tools.
              </span>
              <SignInLink serverId={server.id} serverName={server.name} class="button primary small" />
            </div>
          )}
        </For>
      </div>
    </Show>
  );
}

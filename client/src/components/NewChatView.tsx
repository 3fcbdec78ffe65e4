/** The empty state at `/`: a greeting, examples, and the composer. The chat is created when the first message is sent. */
import { createSignal, For, Show } from 'solid-js';
import { errorMessage } from '../api/errors.ts';
import type { SessionInfo } from '../api/types.ts';
import { createChat } from '../state/chats.ts';
import { holdFirstMessage } from '../state/first-message.ts';
import { newChatServers, resetNewChatServers } from '../state/new-chat.ts';
import { chatPath, navigate } from '../state/route.ts';
import { ChatHeader } from './ChatHeader.tsx';
import { Composer } from './Composer.tsx';
import { ConnectionBanner } from './ConnectionBanner.tsx';
import { ErrorBanner } from './ErrorBanner.tsx';
import { t } from '../../../shared/i18n/t.ts';

export function NewChatView(props: { session: SessionInfo; onToggleSidebar: () => void; onOpenServers: () => void }) {
  const [error, setError] = createSignal<string | null>(null);
  const [suggestion, setSuggestion] = createSignal<string>();

  const start = async (text: string) => {
    setError(null);
    try {
      const chat = await createChat(newChatServers());
      resetNewChatServers();
      holdFirstMessage(chat.id, text);
      navigate(chatPath(chat.id));
      return true;
    } catch (cause) {
      setError(errorMessage(cause));
      return false;
    }
  };

  return (
    <>
      <ChatHeader
        title={t('newChat.title')}
        session={props.session}
        serversInUse={newChatServers().length}
        onToggleSidebar={props.onToggleSidebar}
        onOpenServers={props.onOpenServers}
      />
      <ConnectionBanner />
      <div class="new-chat-view">
        <h2 class="greeting">{t('newChat.greeting')}</h2>
        <Show
          when={newChatServers().length > 0}
          fallback={
            <p class="muted">
              {t('newChat.noTools')}{' '}
              <button type="button" class="link-button" onClick={() => props.onOpenServers()}>
                {t('newChat.connectServer')}
              </button>
              {t('newChat.noToolsAfter')}
            </p>
          }
        >
          <p class="muted">{t('newChat.tools', newChatServers().length)}</p>
        </Show>
        <ul class="examples">
          <For each={t('newChat.examples')}>
            {(example) => (
              <li>
                <button type="button" class="example" onClick={() => setSuggestion(example)}>
                  {example}
                </button>
              </li>
            )}
          </For>
        </ul>
      </div>
      <Show when={error()}>{(message) => <ErrorBanner message={message()} onDismiss={() => setError(null)} />}</Show>
      <Composer onSend={start} suggestion={suggestion()} />
    </>
  );
}

/** The empty state at `/`: a greeting, examples, and the composer. The chat is created when the first message is sent. */
import { createSignal, For, Show } from 'solid-js';
import { errorMessage } from '../api/errors.ts';
import type { SessionInfo } from '../api/types.ts';
import { createChat } from '../state/chats.ts';
import { createComposerFiles } from '../state/composer-files.ts';
import { holdFirstMessage } from '../state/first-message.ts';
import { newChatModel } from '../state/models.ts';
import { newChatServers, resetNewChatServers } from '../state/new-chat.ts';
import { chatPath, navigate } from '../state/route.ts';
import { ChatHeader } from './ChatHeader.tsx';
import { Composer } from './Composer.tsx';
import { ConnectionBanner } from './ConnectionBanner.tsx';
import { ErrorBanner } from './ErrorBanner.tsx';
import { FileDropZone } from './FileDropZone.tsx';
import { t } from '../../../shared/i18n/t.ts';

export function NewChatView(props: { session: SessionInfo; onToggleSidebar: () => void; onOpenServers: () => void }) {
  const [error, setError] = createSignal<string | null>(null);
  const [suggestion, setSuggestion] = createSignal<string>();
  // Files picked here wait in the browser: they are uploaded once the chat exists, before its first message is sent.
  const files = createComposerFiles({ model: newChatModel });
  // Made by a send whose files the server refused: the next send goes on in it rather than in yet another chat.
  let created: string | undefined;

  const start = async (text: string) => {
    setError(null);
    try {
      if (!created) {
        const chat = await createChat(newChatServers());
        resetNewChatServers();
        created = chat.id;
      }
      if (!(await files.uploadHeld(created))) return false;
      holdFirstMessage(created, { text, files: files.ready() });
      navigate(chatPath(created));
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
      <Composer onSend={start} suggestion={suggestion()} files={files} />
      <FileDropZone onFiles={files.add} />
    </>
  );
}

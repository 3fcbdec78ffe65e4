/** An open chat: its live conversation, the pending approval, the run's state, and the composer. */
import { createSignal, Match, Show, Switch } from 'solid-js';
import type { AttachmentDto } from '../../../shared/chat-events.ts';
import type { FileDto } from '../../../shared/files.ts';
import type { SessionInfo } from '../api/types.ts';
import { chats, moveChatToTop } from '../state/chats.ts';
import { serversNeedingSignIn } from '../lib/server-sign-in.ts';
import { createComposerFiles } from '../state/composer-files.ts';
import { createComposerLists } from '../state/composer-lists.ts';
import { createConversation } from '../state/conversation.ts';
import { runGoing, toolCardsOf } from '../state/conversation-view.ts';
import { takeFirstMessage } from '../state/first-message.ts';
import { chatModel } from '../state/models.ts';
import { navigate } from '../state/route.ts';
import { loadServers, servers } from '../state/servers.ts';
import { Announcements } from './Announcements.tsx';
import { ApprovalCard } from './ApprovalCard.tsx';
import { ChatHeader } from './ChatHeader.tsx';
import { ConnectionBanner } from './ConnectionBanner.tsx';
import { Composer } from './Composer.tsx';
import { ErrorBanner } from './ErrorBanner.tsx';
import { FileDropZone } from './FileDropZone.tsx';
import { MessageList } from './MessageList.tsx';
import { RunStatus } from './RunStatus.tsx';
import { ServerWarnings } from './ServerWarnings.tsx';
import { SignInBanner } from './SignInBanner.tsx';
import { SignInWaitCard } from './SignInWaitCard.tsx';
import { t } from '../../../shared/i18n/t.ts';

export function ChatView(props: { chatId: string; session: SessionInfo; onToggleSidebar: () => void; onOpenServers: () => void }) {
  // The new chat's first message, when it was not sent after all (stopped while it waited for a
  // slot, refused): it goes back into the box, its files as chips, as any other unsent message does.
  const [unsentFirst, setUnsentFirst] = createSignal<string>();
  const chat = () => chats.byId[props.chatId];
  const files = createComposerFiles({ chatId: props.chatId, model: () => chatModel(chat()?.modelId) });
  const lists = createComposerLists(props.chatId);
  const conversation = createConversation(props.chatId, {
    onStarted: () => {
      const first = takeFirstMessage(props.chatId);
      if (!first) return;
      void send(first.text, [], first.files).then((sent) => {
        if (sent) return;
        setUnsentFirst(first.text);
        files.adopt(first.files);
      });
    },
    onToolFailed: () => void loadServers(),
    onServerListsChanged: lists.changed,
  });
  const view = conversation.view;
  const running = () => runGoing(view.runState);
  const awaiting = () => view.runState.status === 'awaiting_approval' || view.pendingApproval !== null;

  // A server the waiting card already asks about gets no second prompt in the banner.
  const signInsNeeded = () =>
    serversNeedingSignIn(servers.items, chat()?.enabledServers ?? [], toolCardsOf(view)).filter(
      (server) => !view.pendingApproval?.signIn?.some((wait) => wait.serverId === server.id),
    );
  // After a decision the card goes; the person goes on in the composer (Composer has no handle to pass up).
  const focusComposer = () => document.querySelector<HTMLElement>('.composer-input')?.focus();
  const send = async (text: string, attachments: AttachmentDto[] = [], sentFiles: FileDto[] = files.ready()) => {
    const sent = await conversation.send(
      text,
      attachments.map(({ serverId, uri }) => ({ serverId, uri })),
      sentFiles,
    );
    if (sent) moveChatToTop(props.chatId);
    return sent;
  };

  return (
    <>
      <ChatHeader
        title={chat()?.title ?? t('chat.untitled')}
        session={props.session}
        chatId={props.chatId}
        serversInUse={chat()?.enabledServers.length ?? 0}
        onToggleSidebar={props.onToggleSidebar}
        onOpenServers={props.onOpenServers}
      />
      <ConnectionBanner />
      <ServerWarnings enabledServers={chat()?.enabledServers ?? []} onOpenServers={props.onOpenServers} />
      <Switch>
        <Match when={conversation.loadState() === 'failed'}>
          <div class="center-note" role="alert">
            <p>{conversation.error() ?? t('chat.couldNotLoad')}</p>
            <p>
              <button type="button" class="button" onClick={() => void conversation.reload()}>
                {t('common.tryAgain')}
              </button>{' '}
              <button type="button" class="button" onClick={() => navigate('/')}>
                {t('chat.startNew')}
              </button>
            </p>
          </div>
        </Match>
        <Match when={conversation.loadState() === 'loading'}>
          <div class="center-note muted" role="status">
            {t('chat.loading')}
          </div>
        </Match>
        <Match when={conversation.loadState() === 'ready'}>
          <MessageList view={view} userId={props.session.user.id} onAnswer={conversation.answerQuestion} actions={conversation.actions}>
            <Show when={view.pendingApproval} keyed>
              {(approval) =>
                approval.signIn ? (
                  <SignInWaitCard approval={approval} onDecide={(decisions) => conversation.decide(approval.interruptId, decisions, [])} />
                ) : (
                  <ApprovalCard
                    approval={approval}
                    onDecide={(decisions, allow) => conversation.decide(approval.interruptId, decisions, allow)}
                    onSent={focusComposer}
                  />
                )
              }
            </Show>
            <RunStatus view={view} onRetry={conversation.retry} />
          </MessageList>
          <Announcements view={view} />
          <Show when={conversation.error()}>{(message) => <ErrorBanner message={message()} onDismiss={conversation.clearError} />}</Show>
          <SignInBanner servers={signInsNeeded()} />
          <Composer
            onSend={send}
            onStop={() => void conversation.stop()}
            running={running()}
            disabled={awaiting()}
            disabledReason={view.pendingApproval?.signIn ? t('chat.waitForSignIn') : t('chat.waitForDecision')}
            suggestion={unsentFirst()}
            lists={lists}
            files={files}
          />
          <FileDropZone onFiles={files.add} />
        </Match>
      </Switch>
    </>
  );
}

/**
 * The conversation, oldest first. It follows new text to the bottom while the person is at the
 * bottom, and stays put when they scrolled up to read.
 */
import { createEffect, createMemo, createSignal, For, Match, on, onCleanup, Switch, type JSX } from 'solid-js';
import type { QuestionAnswer } from '../../../shared/questions.ts';
import type { ConversationView, MessageActions } from '../state/conversation-view.ts';
import { findCard, runGoing } from '../state/conversation-view.ts';
import { targetMessage } from '../state/route.ts';
import { AssistantMessage } from './AssistantMessage.tsx';
import { QuestionsProvider, UnplacedQuestions } from './PendingQuestions.tsx';
import { ToolResultMessage } from './ToolResultMessage.tsx';
import { UserMessage } from './UserMessage.tsx';
import { t } from '../../../shared/i18n/t.ts';

export function MessageList(props: {
  view: ConversationView;
  userId: string;
  /** Answers a question a server asked during a call: resolves with why it was refused, or null. */
  onAnswer: (questionId: string, answer: QuestionAnswer) => Promise<string | null>;
  /** Edit, regenerate, continue and switch versions; without them the messages offer none. */
  actions?: MessageActions;
  children?: JSX.Element;
}) {
  let scroller!: HTMLDivElement;
  let pinned = true;
  const onScroll = () => {
    pinned = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 80;
  };
  // Tracks every change of the conversation (new messages, tokens, cards) and the extras below it.
  const contentVersion = () => {
    const last = props.view.messages.at(-1);
    const cards = last?.role === 'assistant' ? last.toolCalls.map((c) => c.status).join() : '';
    const questions = props.view.pendingQuestions.map((q) => (q.kind === 'sampling' ? `${q.id}/${q.stage}` : q.id)).join();
    return `${props.view.messages.length}:${last?.text.length}:${cards}:${props.view.pendingApproval?.interruptId}:${questions}:${props.view.runState.status}`;
  };
  createEffect(
    on(contentVersion, () => {
      if (pinned) queueMicrotask(() => scroller.scrollTo({ top: scroller.scrollHeight }));
    }),
  );

  // A search result opened the chat at a message: once that message is shown, it is scrolled to
  // (once per visit, not again as the run writes on) and highlighted for a moment, and the person
  // is no longer kept at the bottom.
  const target = createMemo(
    () => {
      const wanted = targetMessage();
      return wanted && props.view.messages.some((m) => m.id === wanted.messageId) ? wanted : null;
    },
    null,
    { equals: (a, b) => a?.messageId === b?.messageId && a?.visit === b?.visit },
  );
  const [highlighted, setHighlighted] = createSignal<string | null>(null);
  let unhighlight: ReturnType<typeof setTimeout> | undefined;
  onCleanup(() => clearTimeout(unhighlight));
  createEffect(
    on(target, (found) => {
      if (!found) return;
      pinned = false;
      queueMicrotask(() => document.getElementById(anchorId(found.messageId))?.scrollIntoView({ block: 'center' }));
      setHighlighted(found.messageId);
      clearTimeout(unhighlight);
      // A static highlight, taken away by time rather than by an animation: reduced motion turns animations off.
      unhighlight = setTimeout(() => setHighlighted(null), HIGHLIGHT_MS);
    }),
  );

  return (
    <div
      class="messages"
      ref={scroller}
      onScroll={onScroll}
      role="log"
      aria-label={t('chat.conversation')}
      aria-live="off"
      aria-busy={runGoing(props.view.runState)}
    >
      <div class="messages-inner">
        <QuestionsProvider view={props.view} onAnswer={props.onAnswer}>
          <For each={props.view.messages}>
            {(message) => (
              <Switch>
                <Match when={message.role === 'user' && message}>
                  {(m) => (
                    <MessageAnchor id={m().id} highlighted={highlighted()}>
                      <UserMessage
                        id={m().id}
                        text={m().text}
                        attachments={m().attachments}
                        files={m().files}
                        waiting={m().waiting}
                        branch={m().branch}
                        actions={m().local || m().waiting ? undefined : props.actions}
                      />
                    </MessageAnchor>
                  )}
                </Match>
                <Match when={message.role === 'assistant' && message}>
                  {(m) => (
                    <MessageAnchor id={m().id} highlighted={highlighted()}>
                      <AssistantMessage
                        message={m()}
                        progress={props.view.progress}
                        userId={props.userId}
                        last={props.view.messages.findLast((other) => other.role !== 'tool') === message}
                        actions={props.actions}
                      />
                    </MessageAnchor>
                  )}
                </Match>
                <Match when={message.role === 'tool' && !findCard(props.view, message.toolCallId) && message}>
                  {(m) => <ToolResultMessage text={m().text} isError={m().isError} />}
                </Match>
              </Switch>
            )}
          </For>
          <UnplacedQuestions />
        </QuestionsProvider>
        {props.children}
      </div>
    </div>
  );
}

const anchorId = (messageId: string) => `message-${messageId}`;
const HIGHLIGHT_MS = 2_500;

/** A message's place in the conversation, which a search result links to; highlighted briefly when it is the one opened. */
function MessageAnchor(props: { id: string; highlighted: string | null; children: JSX.Element }) {
  return (
    <div class="message-anchor" id={anchorId(props.id)} classList={{ highlighted: props.highlighted === props.id }}>
      {props.children}
    </div>
  );
}

/**
 * The conversation, oldest first. It follows new text to the bottom while the person is at the
 * bottom, and stays put when they scrolled up to read.
 */
import { createEffect, For, Match, on, Switch, type JSX } from 'solid-js';
import type { QuestionAnswer } from '../../../shared/questions.ts';
import type { ConversationView, MessageActions } from '../state/conversation-view.ts';
import { findCard, runGoing } from '../state/conversation-view.ts';
import { AssistantMessage } from './AssistantMessage.tsx';
import { QuestionsProvider, UnplacedQuestions } from './PendingQuestions.tsx';
import { ToolResultMessage } from './ToolResultMessage.tsx';
import { UserMessage } from './UserMessage.tsx';

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

  return (
    <div
      class="messages"
      ref={scroller}
      onScroll={onScroll}
      role="log"
      aria-label="Conversation"
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
                    <UserMessage
                      id={m().id}
                      text={m().text}
                      attachments={m().attachments}
                      waiting={m().waiting}
                      branch={m().branch}
                      actions={m().local || m().waiting ? undefined : props.actions}
                    />
                  )}
                </Match>
                <Match when={message.role === 'assistant' && message}>
                  {(m) => (
                    <AssistantMessage
                      message={m()}
                      progress={props.view.progress}
                      userId={props.userId}
                      last={props.view.messages.findLast((other) => other.role !== 'tool') === message}
                      actions={props.actions}
                    />
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

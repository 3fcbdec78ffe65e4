/**
 * One open chat, live: loads its history with `chats.get`, then follows `chats.events` from the
 * cursor that came with it, so nothing that happens between the two is lost. The WebSocket
 * client resubscribes after a drop with the last event id it delivered; `EventCursor` drops the
 * events that then arrive twice. A `reset` (the server no longer has the missed events, or it
 * restarted) reloads the history and follows on from the new cursor.
 */
import type { Unsubscribable } from '@trpc/server/observable';
import { createSignal, onCleanup } from 'solid-js';
import { createStore, produce, reconcile } from 'solid-js/store';
import { api } from '../api/client.ts';
import { errorMessage, goToSignIn, isConflict, isSignedOut } from '../api/errors.ts';
import type { FileDto } from '../../../shared/files.ts';
import type { QuestionAnswer } from '../../../shared/questions.ts';
import type { ApprovalDecision } from '../api/types.ts';
import { rememberChat } from './chats.ts';
import {
  addLocalUserMessage,
  applyEvent,
  emptyView,
  runGoing,
  viewOf,
  type ConversationView,
  type MessageActions,
} from './conversation-view.ts';
import { EventCursor } from './event-cursor.ts';

export type LoadState = 'loading' | 'ready' | 'failed';

export interface Conversation {
  view: ConversationView;
  loadState: () => LoadState;
  /** Why loading or following the chat failed, or the last action's error. */
  error: () => string | null;
  clearError: () => void;
  /** Sends the person's text, with the resources they attached (read by the server and given to the model with it) and the files they uploaded. */
  send: (text: string, attachments?: { serverId: string; uri: string }[], files?: FileDto[]) => Promise<boolean>;
  stop: () => Promise<void>;
  retry: () => Promise<void>;
  /** Sends a new text for the person's message `messageId`: the chat forks there, the old version is kept. */
  edit: (messageId: string, text: string) => Promise<boolean>;
  /** Writes the answer `messageId` again, keeping the old one as a version. */
  regenerate: (messageId: string) => Promise<void>;
  /** Shows another version (`messageId`) of a forked message; nothing runs again. */
  switchBranch: (messageId: string) => Promise<void>;
  /** Asks the model to go on with the answer the person stopped. */
  continueAnswer: () => Promise<void>;
  decide: (interruptId: string, decisions: ApprovalDecision[], alwaysAllow: string[]) => Promise<boolean>;
  /** Resolves with why the server refused the answer (shown on the question's card), or null when it took it. */
  answerQuestion: (questionId: string, answer: QuestionAnswer) => Promise<string | null>;
  reload: () => Promise<void>;
  /** What the messages offer: edit, regenerate, continue, switch versions (busy while a run goes or an approval waits). */
  actions: MessageActions;
}

/** Call inside a component: the subscription ends with it. */
export function createConversation(
  chatId: string,
  hooks: {
    onStarted?: () => void;
    /** A tool call failed, or waits for a sign-in: its server may have changed state (gone away, or now wants the person to sign in). */
    onToolFailed?: () => void;
    /** A server of the chat changed its prompts or resources, or the chat's servers changed: the composer's lists are out of date. */
    onServerListsChanged?: () => void;
  },
): Conversation {
  const [view, setView] = createStore<ConversationView>(emptyView());
  const [loadState, setLoadState] = createSignal<LoadState>('loading');
  const [error, setError] = createSignal<string | null>(null);
  const cursor = new EventCursor();
  let subscription: Unsubscribable | undefined;
  let disposed = false;

  const fail = (cause: unknown) => {
    if (isSignedOut(cause)) goToSignIn();
    setError(errorMessage(cause));
  };

  async function reload(): Promise<void> {
    subscription?.unsubscribe();
    subscription = undefined;
    try {
      const snapshot = await api.chats.get.query({ chatId });
      if (disposed) return;
      rememberChat(snapshot.chat);
      setView(reconcile(viewOf(snapshot.history)));
      cursor.reset(snapshot.cursor);
      setLoadState('ready');
      follow(snapshot.cursor);
    } catch (cause) {
      if (disposed) return;
      setLoadState('failed');
      fail(cause);
    }
  }

  function follow(lastEventId: string): void {
    subscription = api.chats.events.subscribe(
      { chatId, lastEventId },
      {
        onStarted: () => hooks.onStarted?.(),
        onData: ({ id, data }) => {
          if (data.type === 'reset') return void reload();
          if (!cursor.accept(id)) return;
          setView(produce((v) => applyEvent(v, data)));
          if (data.type === 'tool_finished' && data.card.status === 'failed') hooks.onToolFailed?.();
          if (data.type === 'tool_started' && data.card.status === 'awaiting_sign_in') hooks.onToolFailed?.();
          // A title the server gave after the first answer, or a change made in another tab.
          if (data.type === 'chat_updated') rememberChat(data.chat);
          if (data.type === 'server_lists_changed' || data.type === 'chat_updated') hooks.onServerListsChanged?.();
        },
        onError: (cause) => fail(cause),
      },
    );
  }

  async function attempt(action: () => Promise<unknown>): Promise<boolean> {
    setError(null);
    try {
      await action();
      return true;
    } catch (cause) {
      fail(cause);
      // What this page shows is out of date: show where the chat really stands, error kept.
      if (isConflict(cause)) void reload();
      return false;
    }
  }

  void reload();
  onCleanup(() => {
    disposed = true;
    subscription?.unsubscribe();
  });

  const edit = (messageId: string, text: string) => attempt(() => api.chats.edit.mutate({ chatId, messageId, text }));
  const regenerate = async (messageId: string) => void (await attempt(() => api.chats.regenerate.mutate({ chatId, messageId })));
  const continueAnswer = async () => void (await attempt(() => api.chats.continue.mutate({ chatId })));
  async function switchBranch(messageId: string): Promise<void> {
    await attempt(async () => {
      const history = await api.chats.switchBranch.mutate({ chatId, messageId });
      // Its event follows, in this tab and every other; this tab need not wait for it.
      setView('messages', reconcile([...history.messages]));
    });
  }
  const busy = () => runGoing(view.runState) || view.runState.status === 'awaiting_approval';

  return {
    view,
    loadState,
    actions: { busy, edit, regenerate, switchBranch, continueAnswer },
    edit,
    regenerate,
    switchBranch,
    continueAnswer,
    error,
    clearError: () => setError(null),
    reload,
    async send(text, attachments = [], files = []) {
      let localId = '';
      setView(
        produce((v) => {
          localId = addLocalUserMessage(v, text);
          // Shown with its files at once: they are uploaded, so their thumbnails load already.
          const local = v.messages.at(-1);
          if (local?.role === 'user' && files.length > 0) local.files = files;
        }),
      );
      const fileIds = files.map((file) => file.id);
      const sent = await attempt(() => api.chats.send.mutate({ chatId, text, attachments, files: fileIds }));
      if (!sent) setView('messages', (messages) => messages.filter((m) => m.id !== localId));
      return sent;
    },
    stop: async () => void (await attempt(() => api.chats.stop.mutate({ chatId }))),
    retry: async () => void (await attempt(() => api.chats.retry.mutate({ chatId }))),
    async decide(interruptId, decisions, alwaysAllow) {
      return attempt(() => api.chats.decide.mutate({ chatId, interruptId, decisions, alwaysAllow }));
    },
    async answerQuestion(questionId, answer) {
      try {
        await api.chats.answerQuestion.mutate({ chatId, questionId, answer });
        return null;
      } catch (cause) {
        if (isSignedOut(cause)) goToSignIn();
        // The question is no longer waiting (answered in another tab, or its call ended): show where the chat stands.
        if (isConflict(cause)) void reload();
        return errorMessage(cause);
      }
    },
  };
}

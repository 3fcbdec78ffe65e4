/**
 * What one open chat shows, and how each chat event changes it. Pure data functions (the store
 * applies them inside `produce`), so they are tested without a browser.
 */
import type { PendingQuestion } from '../../../shared/questions.ts';
import type { ChatEvent, ChatHistory, ChatMessageDto, PendingApproval, RunState, ToolCallCard } from '../api/types.ts';

export type AssistantMessage = Extract<ChatMessageDto, { role: 'assistant' }>;

/**
 * A message as shown: `streaming` while its tokens arrive, `local` for a sent message not yet in
 * the history, `waiting` for one whose run waits for a slot (the model has not seen it yet).
 */
export type ViewMessage = ChatMessageDto & { streaming?: boolean; local?: boolean; waiting?: boolean };

/** What a message offers the person (Edit, Regenerate, Continue, the version navigator), and whether a run keeps them waiting. */
export interface MessageActions {
  busy: () => boolean;
  edit: (messageId: string, text: string) => Promise<boolean>;
  regenerate: (messageId: string) => Promise<void>;
  switchBranch: (messageId: string) => Promise<void>;
  continueAnswer: () => Promise<void>;
}

export interface ToolProgress {
  progress: number;
  total?: number;
  message?: string;
}

export interface ConversationView {
  messages: ViewMessage[];
  pendingApproval: PendingApproval | null;
  /** What servers ask the person during running calls, oldest first; each shows under its call's card. */
  pendingQuestions: PendingQuestion[];
  runState: RunState;
  progress: Record<string, ToolProgress>;
}

/** A run is waiting for a slot or going: Stop applies, and the next message waits for it. */
export function runGoing(state: RunState): boolean {
  return state.status === 'queued' || state.status === 'running';
}

export function emptyView(): ConversationView {
  return { messages: [], pendingApproval: null, pendingQuestions: [], runState: { status: 'idle' }, progress: {} };
}

export function viewOf(history: ChatHistory): ConversationView {
  const view: ConversationView = {
    messages: [...history.messages],
    pendingApproval: history.pendingApproval,
    pendingQuestions: [...history.pendingQuestions],
    runState: history.runState,
    progress: {},
  };
  showWaitingMessage(view);
  return view;
}

/** Applies one event; mutates `view` (call it inside Solid's `produce`). */
export function applyEvent(view: ConversationView, event: ChatEvent): void {
  switch (event.type) {
    case 'run_state':
      view.runState = event.state;
      if (event.state.status !== 'awaiting_approval') view.pendingApproval = null;
      showWaitingMessage(view);
      if (!runGoing(event.state)) {
        settleStreaming(view);
        // Its run ended before it started (stopped while waiting): the message was never sent.
        const unsent = view.messages.findIndex((m) => m.waiting);
        if (unsent >= 0) view.messages.splice(unsent, 1);
      }
      return;
    case 'user_message': {
      if (view.messages.some((m) => m.id === event.message.id)) return;
      // The sender's own tab already shows it as a local message, and any tab as a waiting one: that one becomes the real one.
      const local = view.messages.findIndex((m) => m.local && m.role === 'user' && m.text === event.message.text);
      if (local >= 0) view.messages[local] = event.message;
      else view.messages.push(event.message);
      return;
    }
    case 'token': {
      const draft = view.messages.find((m) => m.id === event.messageId);
      if (draft?.role === 'assistant') draft.text += event.delta;
      else view.messages.push({ role: 'assistant', id: event.messageId, text: event.delta, toolCalls: [], streaming: true });
      return;
    }
    case 'assistant_message': {
      const at = view.messages.findIndex((m) => m.id === event.message.id);
      if (at >= 0) view.messages[at] = event.message;
      else view.messages.push(event.message);
      return;
    }
    case 'approval_requested':
      view.pendingApproval = event.approval;
      view.runState = { status: 'awaiting_approval', interruptId: event.approval.interruptId };
      return;
    case 'tool_started':
      upsertCard(view, event.card);
      return;
    case 'tool_progress':
      view.progress[event.toolCallId] = { progress: event.progress, total: event.total, message: event.message };
      return;
    case 'tool_finished':
      upsertCard(view, event.card);
      delete view.progress[event.toolCallId];
      return;
    case 'branch_changed':
      view.messages = [...event.messages];
      view.progress = {};
      return;
    case 'question_asked': {
      // A sampling question is asked again, at its result stage, under the same id: it replaces the request.
      const at = view.pendingQuestions.findIndex((q) => q.id === event.question.id);
      if (at >= 0) view.pendingQuestions[at] = event.question;
      else view.pendingQuestions.push(event.question);
      return;
    }
    case 'question_settled': {
      const at = view.pendingQuestions.findIndex((q) => q.id === event.questionId);
      if (at >= 0) view.pendingQuestions.splice(at, 1);
      return;
    }
  }
}

/** The questions asked during one tool call, shown under its card. */
export function questionsOf(view: ConversationView, toolCallId: string): PendingQuestion[] {
  return view.pendingQuestions.filter((q) => q.toolCallId === toolCallId);
}

/** Questions whose call has no card in this view (its proposing message was never seen): shown after the conversation instead. */
export function questionsWithoutCard(view: ConversationView): PendingQuestion[] {
  return view.pendingQuestions.filter((q) => !findCard(view, q.toolCallId));
}

/** The sent message, shown at once; the history has it from then on, so a reload keeps it. */
let localIds = 0;

export function addLocalUserMessage(view: ConversationView, text: string): string {
  const message = localUserMessage(text);
  view.messages.push(message);
  return message.id;
}

function localUserMessage(text: string): ViewMessage & { role: 'user' } {
  // Not crypto.randomUUID: it exists only in secure contexts, and a LAN server may be plain HTTP.
  return { role: 'user', id: `local-${Date.now()}-${++localIds}`, text, local: true };
}

/**
 * A send waiting for a slot carries its message: shown once, as waiting, until its `user_message`
 * event replaces it. The sender's tab already shows it as a local message, which becomes the waiting one.
 */
function showWaitingMessage(view: ConversationView): void {
  const state = view.runState;
  if (state.status !== 'queued' || !state.message) return;
  const { text } = state.message;
  const shown = view.messages.findLast((m) => m.local && m.role === 'user' && m.text === text);
  if (shown) shown.waiting = true;
  else view.messages.push({ ...localUserMessage(text), waiting: true });
}

/** The card of a tool call, wherever it is in the conversation. */
/** Every tool call of the conversation, oldest first. */
export function toolCardsOf(view: ConversationView): ToolCallCard[] {
  return view.messages.flatMap((message) => (message.role === 'assistant' ? message.toolCalls : []));
}

export function findCard(view: ConversationView, toolCallId: string): ToolCallCard | undefined {
  for (const message of view.messages) {
    if (message.role !== 'assistant') continue;
    const card = message.toolCalls.find((c) => c.toolCallId === toolCallId);
    if (card) return card;
  }
  return undefined;
}

function upsertCard(view: ConversationView, card: ToolCallCard): void {
  for (const message of view.messages) {
    if (message.role !== 'assistant') continue;
    const at = message.toolCalls.findIndex((c) => c.toolCallId === card.toolCallId);
    if (at >= 0) {
      message.toolCalls[at] = card;
      return;
    }
  }
  // A call whose proposing message this view never saw (it was stopped early): still show it.
  view.messages.push({ role: 'assistant', id: `card-${card.toolCallId}`, text: '', toolCalls: [card] });
}

/** A run that ended stops every message from looking as if it were still being written. */
function settleStreaming(view: ConversationView): void {
  for (const message of view.messages) if (message.streaming) message.streaming = false;
}

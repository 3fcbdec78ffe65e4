/**
 * How the web chat folds chat events into what it shows (client/src/state), without a browser:
 * tokens build a draft that the complete message replaces, cards update in place, an approval
 * comes and goes with the run state, a server's questions come and go with their own events, and
 * events seen twice after a reconnect are applied once.
 */
import { describe, expect, test } from 'bun:test';
import type { ChatEvent, RunState, ToolCallCard } from '../../shared/chat-events.ts';
import type { FormElicitation, SamplingQuestion } from '../../shared/questions.ts';
import {
  addLocalUserMessage,
  applyEvent,
  emptyView,
  findCard,
  questionsOf,
  questionsWithoutCard,
  viewOf,
} from '../../client/src/state/conversation-view.ts';
import { EventCursor } from '../../client/src/state/event-cursor.ts';

const threadId = 't1';
const card = (status: ToolCallCard['status'], extra: Partial<ToolCallCard> = {}): ToolCallCard => ({
  toolCallId: 'call-1',
  tool: {
    serverId: 's1',
    serverName: 'Countersign',
    uniqueName: 'countersign__notes_create',
    name: 'notes_create',
    title: 'Create a note',
  },
  arguments: { title: 'Groceries' },
  status,
  ...extra,
});

describe('applying chat events', () => {
  test('tokens grow a streaming draft; the complete message replaces it, by id', () => {
    const view = emptyView();
    addLocalUserMessage(view, 'hello');
    applyEvent(view, { type: 'run_state', threadId, at: '', state: { status: 'running' } });
    applyEvent(view, { type: 'token', threadId, messageId: 'm1', delta: 'Hel' });
    applyEvent(view, { type: 'token', threadId, messageId: 'm1', delta: 'lo!' });
    expect(view.messages.at(-1)).toMatchObject({ role: 'assistant', id: 'm1', text: 'Hello!', streaming: true });
    applyEvent(view, { type: 'assistant_message', threadId, message: { role: 'assistant', id: 'm1', text: 'Hello!', toolCalls: [] } });
    expect(view.messages).toHaveLength(2);
    expect(view.messages[1]).toEqual({ role: 'assistant', id: 'm1', text: 'Hello!', toolCalls: [] });
  });

  test('a sent message becomes the accepted one in the sender’s tab, and appears in every other tab', () => {
    const sender = emptyView();
    addLocalUserMessage(sender, 'hello');
    const accepted: ChatEvent = { type: 'user_message', threadId, message: { role: 'user', id: 'u1', text: 'hello' } };
    applyEvent(sender, accepted);
    applyEvent(sender, accepted);
    expect(sender.messages).toEqual([{ role: 'user', id: 'u1', text: 'hello' }]);

    const otherTab = emptyView();
    applyEvent(otherTab, accepted);
    expect(otherTab.messages).toEqual([{ role: 'user', id: 'u1', text: 'hello' }]);
  });

  test('a message waiting for a slot shows once, as not sent yet, in the sender’s tab, after a reload and in another tab; the accepted one replaces it', () => {
    const waiting: RunState = { status: 'queued', position: 1, message: { text: 'hello' } };
    const queued: ChatEvent = { type: 'run_state', threadId, at: '', state: waiting };
    const movedUp: ChatEvent = { ...queued, state: { ...waiting, position: 0 } };
    const accepted: ChatEvent = { type: 'user_message', threadId, message: { role: 'user', id: 'u1', text: 'hello' } };
    const sender = emptyView();
    addLocalUserMessage(sender, 'hello');
    applyEvent(sender, queued);
    const reloaded = viewOf({ threadId, messages: [], pendingApproval: null, pendingQuestions: [], runState: waiting });
    const otherTab = emptyView();
    applyEvent(otherTab, queued);
    for (const view of [sender, reloaded, otherTab]) {
      applyEvent(view, movedUp);
      expect(view.messages).toMatchObject([{ role: 'user', text: 'hello', waiting: true }]);
      applyEvent(view, accepted);
      applyEvent(view, { type: 'run_state', threadId, at: '', state: { status: 'running' } });
      expect(view.messages).toEqual([{ role: 'user', id: 'u1', text: 'hello' }]);
    }

    // Stopped while it waited: it was never sent, and no tab shows it.
    const stopped = emptyView();
    applyEvent(stopped, queued);
    applyEvent(stopped, { type: 'run_state', threadId, at: '', state: { status: 'idle' } });
    expect(stopped.messages).toEqual([]);
  });

  test('a pending approval is shown until the run moves on; tool cards change in place', () => {
    const view = emptyView();
    applyEvent(view, {
      type: 'assistant_message',
      threadId,
      message: { role: 'assistant', id: 'm1', text: '', toolCalls: [card('awaiting_approval')] },
    });
    const approval = { threadId, interruptId: 'i1', requestedAt: '', items: [] };
    applyEvent(view, { type: 'approval_requested', threadId, approval });
    expect(view.runState).toEqual({ status: 'awaiting_approval', interruptId: 'i1' });
    expect(view.pendingApproval).toEqual(approval);

    applyEvent(view, { type: 'run_state', threadId, at: '', state: { status: 'running' } });
    expect(view.pendingApproval).toBeNull();
    applyEvent(view, { type: 'tool_started', threadId, toolCallId: 'call-1', card: card('running', { decision: 'approved' }) });
    applyEvent(view, { type: 'tool_progress', threadId, toolCallId: 'call-1', progress: 1, total: 3 });
    expect(view.progress['call-1']).toEqual({ progress: 1, total: 3, message: undefined });
    applyEvent(view, { type: 'tool_finished', threadId, toolCallId: 'call-1', card: card('succeeded', { result: 'Saved' }) });
    expect(findCard(view, 'call-1')).toMatchObject({ status: 'succeeded', result: 'Saved' });
    expect(view.progress['call-1']).toBeUndefined();
    expect(view.messages).toHaveLength(1);
  });

  test('a run that ends mid-message (stopped, failed) leaves nothing looking as if it were still written', () => {
    const view = emptyView();
    applyEvent(view, { type: 'token', threadId, messageId: 'm1', delta: 'Half an ans' });
    applyEvent(view, { type: 'run_state', threadId, at: '', state: { status: 'failed', reason: 'model down' } });
    expect(view.messages[0]).toMatchObject({ text: 'Half an ans', streaming: false });
    expect(view.runState).toEqual({ status: 'failed', reason: 'model down' });
  });
});

describe('questions a server asks during a call', () => {
  const asked = { threadId, toolCallId: 'call-1', serverId: 's1', serverName: 'Everything', askedAt: '' };
  const form: FormElicitation = {
    ...asked,
    id: 'q-form',
    kind: 'elicitation',
    mode: 'form',
    message: 'Your name?',
    requestedSchema: { type: 'object', properties: { name: { type: 'string' } } },
  };
  const sampling: SamplingQuestion = {
    ...asked,
    id: 'q-sampling',
    kind: 'sampling',
    stage: 'request',
    messages: [{ role: 'user', text: 'Write a haiku' }],
    maxTokens: 100,
  };
  const runningCall = (): ChatEvent => ({
    type: 'assistant_message',
    threadId,
    message: { role: 'assistant', id: 'm1', text: '', toolCalls: [card('running')] },
  });

  test('a question asked shows under its call; settled (answered in any tab, or withdrawn), it goes', () => {
    const view = emptyView();
    applyEvent(view, runningCall());
    applyEvent(view, { type: 'question_asked', threadId, question: form });
    applyEvent(view, { type: 'question_asked', threadId, question: sampling });
    expect(questionsOf(view, 'call-1').map((q) => q.id)).toEqual(['q-form', 'q-sampling']);
    expect(questionsOf(view, 'call-2')).toEqual([]);
    expect(questionsWithoutCard(view)).toEqual([]);

    applyEvent(view, { type: 'question_settled', threadId, questionId: 'q-form', outcome: 'accepted' });
    expect(view.pendingQuestions.map((q) => q.id)).toEqual(['q-sampling']);
    applyEvent(view, { type: 'question_settled', threadId, questionId: 'q-sampling', outcome: 'withdrawn' });
    applyEvent(view, { type: 'question_settled', threadId, questionId: 'q-sampling', outcome: 'withdrawn' });
    expect(view.pendingQuestions).toEqual([]);
  });

  test('a sampling question asked again at its result stage replaces the request, in its place', () => {
    const view = emptyView();
    applyEvent(view, { type: 'question_asked', threadId, question: sampling });
    applyEvent(view, { type: 'question_asked', threadId, question: form });
    const result: SamplingQuestion = { ...sampling, stage: 'result', result: { text: 'Old pond…', model: 'demo' } };
    applyEvent(view, { type: 'question_asked', threadId, question: result });
    expect(view.pendingQuestions).toEqual([result, form]);
  });

  test('questions waiting in the history are there after a reload; one whose call has no card still shows', () => {
    const view = viewOf({ threadId, messages: [], pendingApproval: null, pendingQuestions: [form], runState: { status: 'running' } });
    expect(view.pendingQuestions).toEqual([form]);
    expect(questionsWithoutCard(view)).toEqual([form]);
    applyEvent(view, runningCall());
    expect(questionsWithoutCard(view)).toEqual([]);
    expect(questionsOf(view, 'call-1')).toEqual([form]);
  });

  test('the run moving on leaves questions to their own settling', () => {
    const view = emptyView();
    applyEvent(view, { type: 'question_asked', threadId, question: form });
    applyEvent(view, { type: 'run_state', threadId, at: '', state: { status: 'idle' } });
    expect(view.pendingQuestions).toEqual([form]);
  });
});

describe('the event cursor', () => {
  const token = (delta: string): ChatEvent => ({ type: 'token', threadId, messageId: 'm1', delta });

  test('after a reconnect, replayed events already applied are skipped, so no token shows twice', () => {
    const view = emptyView();
    const cursor = new EventCursor();
    cursor.reset('e1.0');
    const deliveries: [string, ChatEvent][] = [
      ['e1.1', token('a')],
      ['e1.2', token('b')],
      // The new socket replays from the last id the old one delivered, and the old one overlapped.
      ['e1.2', token('b')],
      ['e1.3', token('c')],
      ['e1.3', token('c')],
      ['e1.4', token('d')],
    ];
    for (const [id, event] of deliveries) if (cursor.accept(id)) applyEvent(view, event);
    expect(view.messages[0]?.text).toBe('abcd');
  });

  test('events up to the loaded history cursor are not applied again; a new server epoch starts over', () => {
    const cursor = new EventCursor();
    cursor.reset('e1.5');
    expect(cursor.accept('e1.5')).toBe(false);
    expect(cursor.accept('e1.6')).toBe(true);
    expect(cursor.accept('e2.1')).toBe(true);
    expect(cursor.accept('e2.1')).toBe(false);
  });
});

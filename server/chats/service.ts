/**
 * A person's chats and the runs on them: list, create, get, rename, set servers, delete, and the
 * run path (send, decide, retry, stop, titles). One run at a time per chat (run-registry.ts, the
 * one owner of whether a chat's run is going, stopped, or failed and why), each
 * streaming its events into the chat's event hub, where every open tab and a reconnecting client
 * find them; a change the chat list shows (a title) is published there too, as `chat_updated`.
 * A send while a run is waiting, going, or an approval is pending is refused, never interleaved.
 * Runs start through the turn-start queue (admission.ts); while one waits there its chat shows
 * `queued` with its place and, for a send, its message (the history has it only once the run
 * starts), and Stop or deleting the chat takes it out.
 */
import type { AllowedRoot } from '../../db/schema.ts';
import { DEFAULT_CHAT_TITLE } from '../../shared/chat-title.ts';
import type { ChatDto, ChatPageDto, ChatSearchResult, ChatWithHistory, InboxEntry } from '../../shared/chats.ts';
import { LIMITS } from '../../shared/limits.ts';
import type { ApprovalDecision, ChatEvent, ChatHistory, RunState } from '../../shared/chat-events.ts';
import type { FileDto } from '../../shared/files.ts';
import type { QuestionAnswer } from '../../shared/questions.ts';
import type { Questions } from './question-desk.ts';
import type { LLMHandler, RunOptions } from '../agent/llm-handler.ts';
import { chatNotFound, DomainError } from '../domain-error.ts';
import type { UserHandlers } from '../tools/user-handlers.ts';
import type { Logger } from '../log.ts';
import type { ChatRow, ChatStore } from './chat-store.ts';
import type { TurnStartQueue } from './admission.ts';
import type { MessageIndex } from './message-index.ts';
import { toChatDto } from './dto.ts';
import type { EventHub } from './event-hub.ts';
import { ApprovalInbox } from './inbox.ts';
import type { PersonEventHub } from './person-events.ts';
import { type AttachmentRef, readAttachments } from './attachments.ts';
import { ChatDeleted, queuedState, RunStopped, type Claim, type RunRegistry } from './run-registry.ts';

export interface ChatServiceDeps {
  handlers: UserHandlers;
  chats: ChatStore;
  /** Where each message is indexed as the run emits it, for search. */
  messages: MessageIndex;
  hub: EventHub<ChatEvent>;
  /** Each person's changes to their chats (list and approval inbox), keyed by person id. */
  people: PersonEventHub;
  /** Shared with the person's handlers, which ask it whether they have a run going. */
  runs: RunRegistry;
  /** Where every send, decision and retry waits for its turn to start. */
  turnStarts: TurnStartQueue;
  /** LangGraph's history store, one thread per chat. */
  history: { deleteThread(threadId: string): Promise<void> };
  /** What servers ask people during their calls. */
  questions: Questions;
  /** A catalogue server's allowed roots, and its live connections hearing that a chat's roots changed. */
  roots: ChatRootsPort;
  /** Server ids a new chat uses when the caller names none: the person's connected servers. */
  connectedServers: (userId: string) => Promise<string[]>;
  /** The model a new chat starts on (the person's last choice, agent/chat-models.ts); null: the catalogue's default. */
  startingModel: (userId: string) => Promise<string | null>;
  /** The files people upload to their chats for a message to carry. */
  files: MessageFiles;
  log: Logger;
}

/** What sending and deleting need of the uploaded files (files/file-service.ts). */
export interface MessageFiles {
  /** The files named, checked for this message (the chat's own unsent uploads, within the limits, readable by its model), or a refusal. */
  forSend(userId: string, chat: ChatRow, ids: readonly string[]): Promise<FileDto[]>;
  /** The message carrying the files was sent. */
  bind(chatId: string, ids: readonly string[], messageId: string): Promise<void>;
  forgetChat(chatId: string): Promise<void>;
}

/** What choosing a chat's roots needs of the MCP side. */
export interface ChatRootsPort {
  /** The catalogue server, undefined when there is none by that id. */
  server(serverId: string): Promise<{ name: string; allowedRoots: AllowedRoot[] } | undefined>;
  /** The person's live connection to the server, on whichever instance, tells the server its roots changed. */
  changed(userId: string, serverId: string): Promise<void>;
}

export class ChatService {
  readonly hub: EventHub<ChatEvent>;
  readonly people: PersonEventHub;
  readonly #pending = new Set<Promise<unknown>>();
  readonly #inbox: ApprovalInbox;

  constructor(private readonly deps: ChatServiceDeps) {
    this.hub = deps.hub;
    this.people = deps.people;
    this.#inbox = new ApprovalInbox(deps.chats, deps.people, deps.log, (write) => this.#track(write));
    // An instance died mid-run: once its lease lapses, the chat's watchers (on any instance) see it cut off.
    deps.runs.onLapsed((chatId, userId) => void this.#lapsed(chatId, userId));
  }

  /** The person's chat, or a not-found refusal (deleted, or someone else's). */
  async owned(userId: string, chatId: string): Promise<ChatRow> {
    const chat = await this.deps.chats.get(userId, chatId);
    if (!chat) throw chatNotFound();
    return chat;
  }

  async list(userId: string, options: { limit: number; cursor?: string; search?: string; archived?: boolean }): Promise<ChatPageDto> {
    const page = await this.deps.chats.list(userId, options);
    if (!page) throw new DomainError('invalid', 'cursor is not one this API returned.');
    return { items: page.items.map(toChatDto), nextCursor: page.nextCursor };
  }

  async create(userId: string, init: { title?: string; enabledServers?: string[] }): Promise<ChatDto> {
    const enabledServers = init.enabledServers ?? (await this.deps.connectedServers(userId));
    const modelId = await this.deps.startingModel(userId);
    const chat = toChatDto(await this.deps.chats.create(userId, { ...init, enabledServers, modelId }));
    this.people.publish(userId, { type: 'chat_created', chat });
    return chat;
  }

  /** The approvals waiting in the person's chats, newest first. */
  inbox(userId: string): Promise<InboxEntry[]> {
    return this.#inbox.list(userId);
  }

  /** The chat, its history, and the event id to follow from so nothing is missed. */
  async get(userId: string, chatId: string): Promise<ChatWithHistory> {
    const chat = await this.owned(userId, chatId);
    // The cursor is taken first: whatever happens while the history is read is replayed after it.
    const cursor = await this.hub.cursor(chat.id);
    const history = await this.#history(userId, chat);
    await this.#inbox.reconcile(chat, history);
    this.#track(
      this.deps.messages
        .catchUp(chat, history.messages)
        .catch((error) => this.deps.log.warn('indexing a chat for search failed', { chatId: chat.id, error })),
    );
    return { chat: toChatDto(chat), history, cursor };
  }

  async rename(userId: string, chatId: string, title: string): Promise<ChatDto> {
    return this.#update(userId, chatId, { title });
  }

  /** What the model is told in this chat only, from the chat's next run on (a send, decision or retry); empty clears it. */
  async setSystemPrompt(userId: string, chatId: string, systemPrompt: string): Promise<ChatDto> {
    return this.#update(userId, chatId, { systemPrompt });
  }

  /** The model the chat answers with from its next run on (null: the catalogue's default); the history is kept. */
  async setModel(userId: string, chatId: string, modelId: string | null): Promise<ChatDto> {
    return this.#update(userId, chatId, { modelId });
  }

  async setServers(userId: string, chatId: string, enabledServers: string[]): Promise<ChatDto> {
    return this.#update(userId, chatId, { enabledServers: [...new Set(enabledServers)] });
  }

  /**
   * Offers the server these roots (folders) in this chat, of those its admin allows: a URI it does
   * not allow is refused, by name. The server hears that its roots changed, and asks for them again.
   */
  async setRoots(userId: string, chatId: string, serverId: string, uris: string[]): Promise<ChatDto> {
    await this.owned(userId, chatId);
    const server = await this.deps.roots.server(serverId);
    if (!server) throw new DomainError('not_found', `No MCP server ${serverId} in the catalogue.`);
    const allowed = new Set(server.allowedRoots.map((root) => root.uri));
    const refused = uris.filter((uri) => !allowed.has(uri));
    if (refused.length > 0) {
      const them = refused.length === 1 ? 'it' : 'them';
      throw new DomainError('invalid', `${server.name} cannot be offered ${refused.join(', ')}: its administrator does not allow ${them}.`);
    }
    const chat = this.#updated(await this.deps.chats.setRoots(userId, chatId, serverId, [...new Set(uris)]));
    await this.deps.roots.changed(userId, serverId);
    return chat;
  }

  /** The person's messages and chat titles that hold the query's words, best first. */
  search(userId: string, query: string, limit: number): Promise<ChatSearchResult[]> {
    return this.deps.messages.search(userId, query, limit);
  }

  async pin(userId: string, chatId: string, pinned: boolean): Promise<ChatDto> {
    if (pinned && !(await this.owned(userId, chatId)).pinnedAt && (await this.deps.chats.pinnedCount(userId)) >= LIMITS.pinnedChats)
      throw new DomainError('invalid', `At most ${LIMITS.pinnedChats} chats can be pinned; unpin one first.`);
    return this.#updated(await this.deps.chats.setPinned(userId, chatId, pinned));
  }

  async archive(userId: string, chatId: string, archived: boolean): Promise<ChatDto> {
    return this.#updated(await this.deps.chats.setArchived(userId, chatId, archived));
  }

  /** Adds a server to the chat's servers, if it is not there yet. */
  async addServer(userId: string, chat: ChatRow, serverId: string): Promise<void> {
    if (!chat.enabledServers.includes(serverId))
      await this.#update(userId, chat.id, { enabledServers: [...chat.enabledServers, serverId] });
  }

  /** Deletes the chat: its run stops, its events and its history (the checkpointer thread) go. */
  async delete(userId: string, chatId: string): Promise<{ id: string; deleted: true }> {
    const row = await this.deps.chats.softDelete(userId, chatId);
    if (!row) throw chatNotFound();
    await this.deps.runs.deleted(row.id);
    await this.hub.drop(row.id);
    if (row.waitingApproval) this.people.publish(userId, { type: 'inbox_changed', chatId: row.id, entry: null });
    this.people.publish(userId, { type: 'chat_deleted', chatId: row.id });
    await this.deps.history.deleteThread(row.threadId);
    await this.deps.messages.forget(row.id);
    await this.deps.files.forgetChat(row.id);
    // Outside a call a server is shown the roots of all the person's chats: this one's are gone from them.
    for (const [serverId, uris] of Object.entries(row.roots)) if (uris.length > 0) await this.deps.roots.changed(userId, serverId);
    return { id: row.id, deleted: true };
  }

  /** Starts a turn; returns once it is accepted, while events stream to subscribers. */
  async send(
    userId: string,
    chat: ChatRow,
    text: string,
    attachments: readonly AttachmentRef[] = [],
    fileIds: readonly string[] = [],
  ): Promise<void> {
    // Checked and read before the chat is claimed: a file or an attachment refused refuses the send, and nothing was sent.
    // A plain message needs nothing of the person's MCP side.
    const files = fileIds.length > 0 ? await this.deps.files.forSend(userId, chat, fileIds) : [];
    const attached = attachments.length > 0 ? await readAttachments(this.deps.handlers.mcpFor(userId), attachments) : [];
    const busy = 'This chat is still answering; wait for it or press Stop before sending again.';
    const claim = await this.deps.runs.claim(chat.id, userId, busy, { text });
    const sending = (handler: LLMHandler, options: RunOptions) => {
      if (files.length === 0) return handler.send(chat.threadId, text, options, attached);
      // The files belong to the message once it is in the chat; until then an unsent upload may still be removed.
      const emit = (event: ChatEvent) => {
        if (event.type === 'user_message') this.#bind(chat, files, event.message.id);
        options.emit(event);
      };
      return handler.send(chat.threadId, text, { ...options, emit }, attached, files);
    };
    await this.#background(chat, claim, sending, {
      after: async () => {
        if (chat.title === DEFAULT_CHAT_TITLE) await this.#title(userId, chat);
      },
    });
  }

  /**
   * Answers an approval. The tools in `alwaysAllow` are stored for the chat only if the decision is
   * accepted, and only those of the approval that were not rejected (the handler checks both).
   */
  async decide(userId: string, chat: ChatRow, interruptId: string, decisions: ApprovalDecision[], alwaysAllow: string[]): Promise<void> {
    const claim = await this.deps.runs.claimForDecision(chat.id, userId, interruptId);
    const allowAlways = {
      tools: alwaysAllow,
      store: (alwaysAllowed: string[]) => this.deps.chats.update(userId, chat.id, { alwaysAllowed }),
    };
    await this.#background(
      chat,
      claim,
      (handler, options) => handler.decide(chat.threadId, interruptId, decisions, { ...options, allowAlways }),
      { answersApproval: true },
    );
  }

  /**
   * The person came back from signing in to a server: if the chat's run waits for that sign-in,
   * its calls are tried again (any still refused wait again). False when it was not waiting.
   */
  async resumeAfterSignIn(userId: string, chatId: string, serverId: string): Promise<boolean> {
    const chat = await this.deps.chats.get(userId, chatId);
    if (!chat) return false;
    const pending = (await this.#history(userId, chat)).pendingApproval;
    if (!pending?.signIn?.some((wait) => wait.serverId === serverId)) return false;
    const retry = pending.items.map((item) => ({ toolCallId: item.toolCallId, action: 'approve' as const }));
    await this.decide(userId, chat, pending.interruptId, retry, []);
    return true;
  }

  /** The person's answer to what a server asked during the chat's running call. */
  async answerQuestion(userId: string, chat: ChatRow, questionId: string, answer: QuestionAnswer): Promise<void> {
    // A question outlives its call only when the instance running it died: nobody would read the answer.
    const asking = async () => (await this.deps.runs.overlay(chat.id, { status: 'idle' })).status === 'running';
    await this.deps.questions.answer(userId, chat.id, questionId, answer, asking);
  }

  async retry(userId: string, chat: ChatRow): Promise<void> {
    const claim = await this.deps.runs.claim(chat.id, userId, 'This chat is still answering.');
    await this.#background(chat, claim, (handler, options) => handler.retry(chat.threadId, options));
  }

  /** Edits a message the person sent: the chat forks before it, and the turn runs with the new text (agent/branches.ts). */
  async edit(userId: string, chat: ChatRow, messageId: string, text: string): Promise<void> {
    const claim = await this.deps.runs.claim(chat.id, userId, 'This chat is still answering; wait for it or press Stop before editing.');
    await this.#background(chat, claim, (handler, options) => handler.edit(chat.threadId, messageId, text, options));
  }

  /** Writes the answer to the person's message again, keeping the old answer as a version. */
  async regenerate(userId: string, chat: ChatRow, messageId: string): Promise<void> {
    const claim = await this.deps.runs.claim(chat.id, userId, 'This chat is still answering; wait for it or press Stop first.');
    await this.#background(chat, claim, (handler, options) => handler.regenerate(chat.threadId, messageId, options));
  }

  /** Asks the model to go on with the answer the person stopped. */
  async continueAnswer(userId: string, chat: ChatRow): Promise<void> {
    const claim = await this.deps.runs.claim(chat.id, userId, 'This chat is still answering.');
    await this.#background(chat, claim, (handler, options) => handler.continue(chat.threadId, options));
  }

  /**
   * Shows another version of a forked message; nothing runs again. Held like a run, so no run
   * starts meanwhile; every watcher sees the branch's messages, and the chat list the chat touched.
   */
  async switchBranch(userId: string, chat: ChatRow, messageId: string): Promise<ChatHistory> {
    const claim = await this.deps.runs.claim(
      chat.id,
      userId,
      'This chat is still answering; wait for it or press Stop before switching versions.',
    );
    let touched: ChatRow | undefined;
    try {
      // How the last run ended was said of the branch left.
      await this.deps.runs.started(chat.id, claim);
      const { messages } = await (await this.deps.handlers.llmFor(userId)).switchBranch(chat.threadId, messageId);
      this.hub.publish(chat.id, { type: 'branch_changed', threadId: chat.threadId, messages });
      touched = await this.deps.chats.touch(chat.id);
    } finally {
      await this.#release(chat, claim);
    }
    this.#updated(touched);
    return this.#history(userId, chat);
  }

  /** Stops the chat's run, if one is waiting or going (on any instance); what it had finished stays in the history. */
  stop(chat: ChatRow): Promise<boolean> {
    return this.deps.runs.stop(chat.id);
  }

  /** Waits for runs in flight and waiting to start (graceful shutdown); their checkpoints make the rest resumable. */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.#pending]);
  }

  /** Indexes a message for search beside the run, which does not wait for it; shutdown does (drain). */
  #index(chat: ChatRow, message: Extract<ChatEvent, { type: 'user_message' | 'assistant_message' }>['message']): void {
    const indexed = this.deps.messages
      .record(chat, message)
      .catch((error) => this.deps.log.error('message not indexed for search', { chatId: chat.id, error }));
    this.#track(indexed);
  }

  /** Marks the files as the message's, beside the run (which reads them whatever the mark says). */
  #bind(chat: ChatRow, files: readonly FileDto[], messageId: string): void {
    const ids = files.map((file) => file.id);
    this.#track(
      this.deps.files
        .bind(chat.id, ids, messageId)
        .catch((error) => this.deps.log.error('files not marked as sent', { chatId: chat.id, error })),
    );
  }

  /** Work beside a run that a graceful shutdown waits for (drain). */
  #track(work: Promise<unknown>): void {
    this.#pending.add(work);
    void work.finally(() => this.#pending.delete(work));
  }

  async #update(userId: string, chatId: string, patch: Parameters<ChatStore['update']>[2]): Promise<ChatDto> {
    return this.#updated(await this.deps.chats.update(userId, chatId, patch));
  }

  /** The chat as an edit left it, told to its watchers; no row means no such chat of the person's. */
  #updated(row: ChatRow | undefined): ChatDto {
    if (!row) throw chatNotFound();
    const chat = toChatDto(row);
    this.hub.publish(chat.id, { type: 'chat_updated', threadId: chat.threadId, chat });
    this.people.publish(row.ownerId, { type: 'chat_updated', chat });
    return chat;
  }

  /**
   * Runs in the background once the turn-start queue admits it, and resolves once the run is
   * accepted (its first event), so the caller hears of a refusal (stale approval, invalid edit,
   * missing chat) with the right code, and otherwise follows the run through the event stream.
   * While it waits, the chat's watchers see `queued` and its place; a run stopped while it waits
   * never started, and the caller hears so. A run that ends without having started (stopped while
   * it waits, or refused once admitted) leaves the chat as it was, and its watchers hear where it stands.
   */
  #background(
    chat: ChatRow,
    claim: Claim,
    run: (handler: LLMHandler, options: RunOptions) => Promise<RunState>,
    {
      after,
      answersApproval = false,
    }: {
      after?: () => Promise<void>;
      /**
       * A decision: only such a run goes on from an approval the chat waited for (a send, retry,
       * edit or continue is refused while one waits), so only it takes the approval out of the inbox.
       */
      answersApproval?: boolean;
    } = {},
  ): Promise<void> {
    const { promise: accepted, resolve, reject } = Promise.withResolvers<void>();
    let toldQueued = false;
    const ticket = this.deps.turnStarts.enter(claim.userId, {
      signal: claim.signal,
      onPosition: (position) => {
        toldQueued = true;
        void this.deps.runs.queued(chat.id, claim, position);
        this.#publishState(chat, queuedState(claim, position));
      },
    });
    claim.ticket = ticket;
    let stage: 'waiting' | 'handler' | 'run' = 'waiting';
    let started = false;
    let lastState: ChatEvent | undefined;
    let endedAwaiting = false;
    const emit = (event: ChatEvent) => {
      const first = !started;
      started = true;
      resolve();
      // Its first output (or its end) closes the run's start phase: the next run may start.
      if (event.type !== 'user_message' && !(event.type === 'run_state' && event.state.status === 'running')) ticket.done();
      // Another run may hold the chat by now: its state is told by that run, or by whoever handles the lapse.
      if (claim.lost) return;
      // Before it is published: whoever sees the approval may decide on it at once. A decision's
      // other first output means the run went on: the approval the chat waited for was answered.
      if (event.type === 'approval_requested') {
        void this.deps.runs.raised(chat.id, claim, event.approval.interruptId);
        void this.#inbox.raised(chat.id, event.approval);
      } else if (first && answersApproval) void this.#inbox.settled(chat.id);
      if (event.type === 'user_message' || event.type === 'assistant_message') this.#index(chat, event.message);
      // The run's last state is told once the chat is free: whoever sees "idle" may send at once.
      if (event.type === 'run_state' && event.state.status !== 'running') {
        lastState = event;
        return;
      }
      this.hub.publish(chat.id, event);
    };
    const fail = (reason: string) => emit(this.#stateEvent(chat, { status: 'failed', reason }));
    const done = (async () => {
      let finished = false;
      try {
        await ticket.admitted;
        stage = 'handler';
        await this.deps.runs.started(chat.id, claim);
        await this.deps.questions.withdrawLeftOpen(chat.id);
        const handler = await this.deps.handlers.llmFor(claim.userId);
        stage = 'run';
        const state = await run(handler, { emit, signal: claim.signal });
        endedAwaiting = state.status === 'awaiting_approval';
        await this.deps.runs.ended(chat.id, claim, state);
        resolve();
        const touched = await this.deps.chats.touch(chat.id);
        // The run moved the chat up the person's list: their other tabs hear so.
        if (touched) this.people.publish(claim.userId, { type: 'chat_updated', chat: toChatDto(touched) });
        finished = true;
      } catch (error) {
        if (stage === 'waiting') {
          reject(notStarted(claim.signal.reason));
        } else if (stage === 'handler' || (error instanceof DomainError && !started)) {
          reject(error);
        } else if (error instanceof DomainError) {
          fail(error.message);
        } else {
          this.deps.log.error('chat run failed', { chatId: chat.id, error });
          fail('The run failed unexpectedly; try again.');
        }
      } finally {
        ticket.done();
        // Again at the end: an approval's row written late (by the instance that raised it) is not left behind.
        if (answersApproval && started && !endedAwaiting && !claim.lost) await this.#inbox.settled(chat.id);
        await this.#release(chat, claim);
        // Not for a deleted chat: published after the deleting instance dropped its events, it would start them again.
        if (lastState && !claim.lost && !(claim.signal.reason instanceof ChatDeleted)) this.hub.publish(chat.id, lastState);
      }
      const stoppedWaiting = stage === 'waiting' && claim.signal.reason instanceof RunStopped && claim.signal.reason.byPerson;
      // Refused once admitted (say, an approval became pending meanwhile): its watchers last heard it was queued.
      const refusedAfterWaiting = stage !== 'waiting' && !started && toldQueued;
      // As in emit: nothing more of a run that lost its lease, not even a title.
      if (claim.lost) return;
      if (stoppedWaiting || refusedAfterWaiting) await this.#publishStandingState(claim.userId, chat);
      // Naming a new chat asks the model again: the chat is free meanwhile, so a quick decision
      // or the next message does not wait for it.
      if (finished) await after?.();
    })();
    this.#track(done);
    return accepted;
  }

  /**
   * The chat's history, with what only this process knows laid over its run state: the checkpoint
   * cannot know that a run is waiting or going (it may still wait for the thread lock), why the
   * last one failed, or that the person stopped it.
   */
  async #history(userId: string, chat: ChatRow): Promise<ChatHistory> {
    const history = await (await this.deps.handlers.llmFor(userId)).history(chat.threadId);
    history.runState = await this.deps.runs.overlay(chat.id, history.runState);
    // Questions are asked only while a call runs; any left open by an instance that died are not shown.
    if (history.runState.status === 'running') history.pendingQuestions = await this.deps.questions.open(chat.id);
    return history;
  }

  #stateEvent(chat: ChatRow, state: RunState): ChatEvent {
    return { type: 'run_state', threadId: chat.threadId, at: new Date().toISOString(), state };
  }

  #publishState(chat: ChatRow, state: RunState): void {
    this.hub.publish(chat.id, this.#stateEvent(chat, state));
  }

  /** Lets go of the chat; should that fail (Redis unreachable), its lease lapses on its own and the chat is shown as it stands. */
  async #release(chat: ChatRow, claim: Claim): Promise<void> {
    try {
      await this.deps.runs.release(chat.id, claim);
    } catch (error) {
      this.deps.log.error('letting go of a chat failed', { chatId: chat.id, error });
    }
  }

  /** The instance running the chat died: its watchers see where it stands (the checkpoint says cut off). */
  async #lapsed(chatId: string, userId: string): Promise<void> {
    const chat = await this.deps.chats.get(userId, chatId).catch((error: unknown) => {
      this.deps.log.warn('reading a chat whose run was cut off failed', { chatId, error });
    });
    if (chat) await this.#publishStandingState(userId, chat);
  }

  /** A run stopped before it started leaves the chat as it was: its watchers see where it stands. */
  async #publishStandingState(userId: string, chat: ChatRow): Promise<void> {
    try {
      this.#publishState(chat, (await this.#history(userId, chat)).runState);
    } catch (error) {
      // A deleted chat has nobody left to tell.
      if (!(error instanceof DomainError)) this.deps.log.warn('reading a chat after a stop failed', { chatId: chat.id, error });
    }
  }

  async #title(userId: string, chat: ChatRow): Promise<void> {
    try {
      const title = (await (await this.deps.handlers.llmFor(userId)).suggestTitle(chat.threadId)).slice(0, LIMITS.title);
      const current = await this.deps.chats.get(userId, chat.id);
      // The person may have renamed it meanwhile; their title wins.
      if (current && current.title === DEFAULT_CHAT_TITLE && title) await this.#update(userId, chat.id, { title });
    } catch (error) {
      this.deps.log.warn('naming a chat failed', { chatId: chat.id, error });
    }
  }
}

/** Why a run that was stopped while it waited for a slot did not start, for the caller that asked for it. */
function notStarted(reason: unknown): DomainError {
  const why = reason instanceof Error ? reason.message : 'it was stopped';
  const code = reason instanceof RunStopped && reason.byPerson ? 'conflict' : 'unavailable';
  return new DomainError(code, `Stopped while waiting for a slot (${why}): nothing was sent to the model.`);
}

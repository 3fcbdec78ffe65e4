/**
 * One person's LLM handler: holds their compiled graph (recompiled when their tools change) and
 * runs their chats. Each run streams chat events through the caller's `emit`; every send and
 * decide on a thread is serialised by the thread lock and checks the thread's state under it.
 */
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { AIMessage, HumanMessage, ToolMessage, type BaseMessage } from '@langchain/core/messages';
import { Command } from '@langchain/langgraph';
import type { BaseCheckpointSaver } from '@langchain/langgraph-checkpoint';
import type { ApprovalDecision, ChatEvent, ChatHistory, RunState, ToolCallCard } from '../../shared/chat-events.ts';
import type { FileDto } from '../../shared/files.ts';
import type { AuditLog } from '../audit/audit-store.ts';
import { chatNotFound, DomainError } from '../domain-error.ts';
import type { Logger } from '../log.ts';
import type { ChatModel } from './chat-models.ts';
import type { ChatSettingsSource } from './chat-settings.ts';
import { alwaysAllowable } from './always-allow.ts';
import { forkable, readTree, resent, sentFrom, switchTo, withBranches, withVersion, writeTree } from './branches.ts';
import { resolveDecisions } from './decisions.ts';
import { describeRunFailure } from './failure.ts';
import { buildAgentGraph, type AgentGraph } from './graph.ts';
import { assistantDto, failedStepError, hasPendingInterrupt, messagesOf, pendingApprovalOf, pendingInterrupt } from './history.ts';
import { type RunObserver, runSink, runToEnd, streamMode } from './run-stream.ts';
import type { AgentStateUpdate, ApprovalResume } from './state.ts';
import { isStopped, keepsAnswer, RunProgress, stoppedUpdate } from './stopped.ts';
import type { QuestionDesk } from './question-port.ts';
import type { ThreadLocks } from './thread-lock.ts';
import type { FileReader } from './file-port.ts';
import { answeredByMetadata } from './answered-by.ts';
import { fallbackTitle, generateTitle, titleSubject } from './title.ts';
import type { AgentTool, ToolCaller } from './tool-port.ts';
import { type Attachment, editedMessage, userMessage, userMessageDto } from './user-message.ts';
import type { TurnContext } from './tool-view.ts';
import { inRunSpan } from '../telemetry/run-span.ts';

export interface LLMHandlerDeps {
  userId: string;
  model: BaseChatModel;
  checkpointer: BaseCheckpointSaver;
  chats: ChatSettingsSource;
  audit: AuditLog;
  /** Runs the person's tool calls (their MCP handler). */
  caller: ToolCaller;
  questions: QuestionDesk;
  samplingModel: (maxTokens: number) => BaseChatModel;
  /** Where the files attached to messages are read when the model is asked. */
  files?: FileReader;
  /**
   * The model each chat answers with (chat-models.ts), chosen at each run's start; without
   * it, `model` answers every chat. Reading and writing a thread's state runs no model: `model`'s graph does that.
   */
  modelFor?: (threadId: string) => Promise<ChatModel>;
  locks: ThreadLocks;
  /** Counts what runs do, for operators (metrics/). */
  observer?: RunObserver;
  log: Logger;
}

export interface RunOptions {
  /** Receives the run's events as they happen. */
  emit: (event: ChatEvent) => void;
  /** Aborting it stops the run; what it had finished stays in the history. */
  signal?: AbortSignal;
}

export interface DecideOptions extends RunOptions {
  /**
   * Tools the person asked to always allow in this chat, and where the chat's whole list goes once
   * the decision is accepted. Only tools of this approval that were not rejected are added.
   */
  allowAlways?: { tools: readonly string[]; store: (alwaysAllowed: string[]) => Promise<unknown> };
}

const awaitingApproval = () =>
  new DomainError('awaiting_approval', 'This chat is waiting for your decision on a tool call; approve or reject it first.');

/**
 * A step still to run with no error and no approval: the process stopped mid-answer (a crash, a
 * restart, the handler closed). Said so, because retry finishes it; idle would hide it. The chat's
 * run registry knows when the person stopped it instead, and lays idle over this.
 */
export const CUT_OFF_REASON =
  'The last answer did not finish: the server stopped while writing it. Your message is kept; press Retry to finish it.';

/** Each tool round is three steps (llm → approval → tools); this allows about fifteen rounds a turn. */
const RECURSION_LIMIT = 50;

export class LLMHandler {
  #graph: AgentGraph;
  /** A graph per catalogue model, compiled when a chat first answers with it; the graphs share the checkpointer, so history follows a chat across models. */
  readonly #graphs = new Map<string, { model: BaseChatModel; graph: AgentGraph }>();
  #tools: readonly AgentTool[] = [];

  constructor(private readonly deps: LLMHandlerDeps) {
    this.#graph = this.#compile();
  }

  get userId(): string {
    return this.deps.userId;
  }

  get tools(): readonly AgentTool[] {
    return this.#tools;
  }

  /**
   * Replaces the person's tools and recompiles the graph; the MCP side calls it whenever they
   * change. Runs already going keep the graph they started with; the next turn uses the new one.
   */
  setTools(tools: readonly AgentTool[]): void {
    this.#tools = [...tools];
    this.#graph = this.#compile();
    this.#graphs.clear();
  }

  /**
   * Sends a person's message, with the resources they attached (already read) and the files they
   * attached (checked, referenced by the message), and runs the graph until it answers, needs an approval, or fails.
   */
  send(
    threadId: string,
    text: string,
    options: RunOptions,
    attachments: readonly Attachment[] = [],
    files: readonly FileDto[] = [],
  ): Promise<RunState> {
    return this.deps.locks.run(threadId, async () => {
      const turn = await this.#turn(threadId);
      const head = await this.#idleHead(threadId);
      // Our own id, so the event every tab sees and the history name the same message.
      const message = sentFrom(userMessage(crypto.randomUUID(), text, attachments, files), head);
      this.#safeEmit(options.emit, threadId)({ type: 'user_message', threadId, message: userMessageDto(message) });
      return this.#run(turn, turnInput(message), options);
    });
  }

  /** Answers the pending approval named by `interruptId` and continues the run. */
  decide(threadId: string, interruptId: string, decisions: readonly ApprovalDecision[], options: DecideOptions): Promise<RunState> {
    return this.deps.locks.run(threadId, async () => {
      let turn = await this.#turn(threadId);
      const pending = pendingInterrupt(await this.#graph.getState(configOf(threadId)));
      if (!pending || pending.id !== interruptId) {
        throw new DomainError(
          'approval_not_pending',
          'This approval is no longer pending: it was already decided, or the chat has moved on. Reload the chat to see where it stands.',
        );
      }
      const resume: ApprovalResume = {
        decidedBy: { kind: 'person', userId: this.deps.userId },
        decidedAt: new Date().toISOString(),
        byCall: resolveDecisions(pending.request, decisions),
      };
      const { allowAlways } = options;
      // Trying calls again after a sign-in is no approval of their tools.
      const allowed = allowAlways && !pending.request.signIn ? alwaysAllowable(pending.request, resume.byCall, allowAlways.tools) : [];
      if (allowAlways && allowed.some((tool) => !turn.alwaysAllowed.includes(tool))) {
        const alwaysAllowed = [...new Set([...turn.alwaysAllowed, ...allowed])];
        await allowAlways.store(alwaysAllowed);
        // This turn too: the model may call the same tool again before it answers.
        turn = { ...turn, alwaysAllowed };
      }
      if (!pending.request.signIn) this.deps.observer?.decided(decisions);
      // Keyed by interrupt id, so LangGraph itself only applies it to that interrupt.
      return this.#run(turn, new Command({ resume: { [interruptId]: resume } }), options);
    });
  }

  /**
   * Edits a message the person sent: the chat forks at the checkpoint it was sent from, and the
   * turn runs with the new text; the old branch, and everything run on it, is kept as a version.
   */
  edit(threadId: string, messageId: string, text: string, options: RunOptions): Promise<RunState> {
    return this.deps.locks.run(threadId, async () => {
      const turn = await this.#turn(threadId);
      const head = await this.#idleHead(threadId);
      const messages = await this.#messages(threadId);
      const { original, at, from } = forkable(messages, messageId);
      const message = sentFrom(editedMessage(original, crypto.randomUUID(), text), from);
      const tree = withVersion(await readTree(this.deps.checkpointer, threadId), 'message', original.id!, message.id!, head);
      await writeTree(this.deps.checkpointer, threadId, tree);
      const emit = this.#safeEmit(options.emit, threadId);
      emit({ type: 'branch_changed', threadId, messages: withBranches(messagesOf({ messages: messages.slice(0, at) }), tree) });
      emit({ type: 'user_message', threadId, message: userMessageDto(message) });
      return this.#forked(turn, message, from, options);
    });
  }

  /**
   * Writes the answer to the person's message again (the answer `messageId` belongs to): the chat
   * forks where the message was sent from, and the message is sent again; the old answer is kept as a version.
   */
  regenerate(threadId: string, messageId: string, options: RunOptions): Promise<RunState> {
    return this.deps.locks.run(threadId, async () => {
      const turn = await this.#turn(threadId);
      const head = await this.#idleHead(threadId);
      const messages = await this.#messages(threadId);
      const answer = messages.findIndex((m) => m.id === messageId && AIMessage.isInstance(m));
      const asked = messages.findLastIndex((m, at) => at < answer && HumanMessage.isInstance(m));
      if (answer < 0 || asked < 0) throw new DomainError('not_found', 'There is no such answer in this chat to regenerate.');
      const { original, at, from } = forkable(messages, messages[asked]!.id!);
      const message = resent(original);
      const tree = withVersion(await readTree(this.deps.checkpointer, threadId), 'answer', original.id!, message.id!, head);
      await writeTree(this.deps.checkpointer, threadId, tree);
      const shown = [...messagesOf({ messages: messages.slice(0, at) }), userMessageDto(message)];
      this.#safeEmit(options.emit, threadId)({ type: 'branch_changed', threadId, messages: withBranches(shown, tree) });
      return this.#forked(turn, message, from, options);
    });
  }

  /** Asks the model to go on with the answer the person stopped (its last message); the rest follows it as a new message. */
  continue(threadId: string, options: RunOptions): Promise<RunState> {
    return this.deps.locks.run(threadId, async () => {
      const turn = await this.#turn(threadId);
      await this.#idleHead(threadId);
      const last = (await this.#messages(threadId)).at(-1);
      if (!last || !AIMessage.isInstance(last) || !isStopped(last)) {
        throw new DomainError('conflict', 'The last answer in this chat was not stopped; there is nothing to continue.');
      }
      return this.#run(turn, new Command({ goto: 'llm' }), options);
    });
  }

  /**
   * Shows another version of a forked message: a new newest checkpoint copies where that
   * version's branch stood (its values and what was next), so nothing runs again. Returns the
   * chat's history as it now stands.
   */
  switchBranch(threadId: string, messageId: string): Promise<ChatHistory> {
    return this.deps.locks.run(threadId, async () => {
      await this.#turn(threadId);
      const head = await this.#idleHead(threadId);
      const messages = await this.#messages(threadId);
      const shown = messages.filter((m) => HumanMessage.isInstance(m)).map((m) => m.id ?? '');
      const move = switchTo(await readTree(this.deps.checkpointer, threadId), shown, messageId, head);
      if (!move) throw new DomainError('not_found', 'That is not another version of a message shown in this chat.');
      await this.#graph.updateState({ configurable: { thread_id: threadId, checkpoint_id: move.tip } }, undefined);
      await writeTree(this.deps.checkpointer, threadId, move.tree);
      return this.#history(threadId);
    });
  }

  /** Runs a failed turn again from the step that failed; the steps it had finished are not repeated. */
  retry(threadId: string, options: RunOptions): Promise<RunState> {
    return this.deps.locks.run(threadId, async () => {
      const turn = await this.#turn(threadId);
      const snapshot = await this.#graph.getState(configOf(threadId));
      if (pendingInterrupt(snapshot)) {
        throw awaitingApproval();
      }
      if (snapshot.next.length === 0) throw new DomainError('nothing_to_retry', 'There is no failed answer to retry in this chat.');
      return this.#run(turn, null, options);
    });
  }

  /**
   * What the checkpoint says: messages, a pending approval, a step that failed, a step cut off.
   * Whether a run is going, and why one failed or that the person stopped it, only the process
   * that ran it knows (the chat's run registry lays that over this).
   */
  async history(threadId: string): Promise<ChatHistory> {
    await this.#turn(threadId);
    return this.#history(threadId);
  }

  async #history(threadId: string): Promise<ChatHistory> {
    const snapshot = await this.#graph.getState(configOf(threadId));
    const pending = pendingInterrupt(snapshot);
    // After a restart only the checkpoint knows a step failed, and only its raw message.
    const stepError = failedStepError(snapshot);
    const cutOff = !pending && snapshot.next.length > 0;
    const failure = (stepError ? `The last run failed: ${stepError}` : undefined) ?? (cutOff ? CUT_OFF_REASON : undefined);
    const runState: RunState = pending
      ? { status: 'awaiting_approval', interruptId: pending.id }
      : failure
        ? { status: 'failed', reason: failure }
        : { status: 'idle' };
    return {
      threadId,
      messages: withBranches(messagesOf(snapshot.values), await readTree(this.deps.checkpointer, threadId)),
      pendingApproval: pending ? pendingApprovalOf(threadId, pending) : null,
      // Only the chat service knows which questions wait (chats/question-desk.ts); it lays them over this.
      pendingQuestions: [],
      runState,
    };
  }

  /** A short title from the chat's first exchange, for the API to store. */
  async suggestTitle(threadId: string): Promise<string> {
    const { messages } = await this.history(threadId);
    const user = titleSubject(messages.find((m) => m.role === 'user'));
    const assistant = messages.find((m) => m.role === 'assistant' && m.text.trim())?.text ?? '';
    try {
      const chosen = await this.deps.modelFor?.(threadId);
      return await generateTitle(chosen?.model ?? this.deps.model, { user, assistant });
    } catch (error) {
      this.deps.log.warn('chat title generation failed', { threadId, error });
      return fallbackTitle(user);
    }
  }

  #compile(): AgentGraph {
    const { model, caller, audit, questions, samplingModel, files, checkpointer } = this.deps;
    return buildAgentGraph({ model, caller, audit, questions, samplingModel, files, tools: this.#tools }, checkpointer);
  }

  /** The graph that answers with `chosen`; a model without tool calls is offered no tools. */
  #graphFor(chosen: ChatModel | undefined): AgentGraph {
    if (!chosen) return this.#graph;
    const compiled = this.#graphs.get(chosen.id);
    if (compiled?.model === chosen.model) return compiled.graph;
    const { caller, audit, questions, files, checkpointer } = this.deps;
    const tools = chosen.toolCalls ? this.#tools : [];
    const graph = buildAgentGraph(
      { model: chosen.model, caller, audit, questions, samplingModel: chosen.sampling, files, tools },
      checkpointer,
    );
    this.#graphs.set(chosen.id, { model: chosen.model, graph });
    return graph;
  }

  async #turn(threadId: string): Promise<TurnContext> {
    const turn = await this.deps.chats.turnContext(this.deps.userId, threadId);
    if (!turn) throw chatNotFound();
    return turn;
  }

  /**
   * The head checkpoint's id, refusing while an approval is pending. The checkpoint tuple, not
   * graph.getState: only whether an approval is pending is needed, and getState rebuilds the whole
   * state to say so (see hasPendingInterrupt). A new chat gets an empty first checkpoint, so that
   * its first message too has a checkpoint to fork from when it is edited.
   */
  async #idleHead(threadId: string): Promise<string> {
    const head = await this.deps.checkpointer.getTuple(configOf(threadId));
    if (hasPendingInterrupt(head)) throw awaitingApproval();
    const id =
      head?.config.configurable?.checkpoint_id ??
      (await this.#graph.updateState(configOf(threadId), undefined)).configurable?.checkpoint_id;
    return String(id);
  }

  /** The shown branch's messages. */
  async #messages(threadId: string): Promise<BaseMessage[]> {
    const { values } = await this.#graph.getState(configOf(threadId));
    return (values as { messages?: BaseMessage[] }).messages ?? [];
  }

  /** Runs the turn of `message` on a new branch from checkpoint `from`, then shows every watcher the branch with its versions. */
  async #forked(turn: TurnContext, message: HumanMessage, from: string, options: RunOptions): Promise<RunState> {
    const state = await this.#run(turn, turnInput(message), options, from);
    const { messages } = await this.#history(turn.threadId);
    this.#safeEmit(options.emit, turn.threadId)({ type: 'branch_changed', threadId: turn.threadId, messages });
    return state;
  }

  async #run(turn: TurnContext, input: Parameters<AgentGraph['stream']>[0], options: RunOptions, from?: string): Promise<RunState> {
    const { threadId } = turn;
    const emit = this.#safeEmit(options.emit, threadId);
    emit({ type: 'run_state', threadId, at: new Date().toISOString(), state: { status: 'running' } });

    const progress = new RunProgress();
    const sink = runSink(threadId, (event) => {
      progress.see(event);
      // Only what the nodes sent: a stop's summary (keepStopped) repeats cards already counted.
      this.deps.observer?.event(event);
      emit(event);
    });
    let state: RunState;
    let chosen: ChatModel | undefined;
    try {
      chosen = await this.deps.modelFor?.(threadId);
      const graph = this.#graphFor(chosen);
      const counted = chosen ? chosen.counting(sink) : sink;
      // A decision's run joins the trace of the run that asked for it (telemetry/run-span.ts).
      const interrupted = await inRunSpan(threadId, isResume(input), async () =>
        runToEnd(
          await graph.stream(input, {
            // A checkpoint id forks: the run continues from that checkpoint, and the branch it leaves stays.
            configurable: { thread_id: threadId, ...(from ? { checkpoint_id: from } : {}) },
            // The run's signal goes to its nodes (nodes/runtime.ts runSignal), so that a stopped run ends with its checkpoints written.
            context: { turn, sink: counted, signal: options.signal },
            streamMode,
            recursionLimit: RECURSION_LIMIT,
          }),
        ),
      );
      if (interrupted) {
        emit({ type: 'approval_requested', threadId, approval: pendingApprovalOf(threadId, interrupted) });
        state = { status: 'awaiting_approval', interruptId: interrupted.id };
      } else {
        state = { status: 'idle' };
      }
    } catch (error) {
      if (options.signal?.aborted) {
        if (keepsAnswer(options.signal.reason)) await this.#keepStopped(threadId, progress, emit, chosen?.model ?? this.deps.model);
        state = { status: 'idle' };
      } else {
        this.deps.log.error('chat run failed', { userId: this.deps.userId, threadId, error });
        this.deps.observer?.failed(error);
        state = { status: 'failed', reason: describeRunFailure(error) };
      }
    } finally {
      sink.close();
    }
    emit({ type: 'run_state', threadId, at: new Date().toISOString(), state });
    return state;
  }

  /** Writes what a stopped run leaves (stopped.ts); should that fail, the chat shows the run cut off, with Retry. */
  async #keepStopped(threadId: string, progress: RunProgress, emit: (event: ChatEvent) => void, model: BaseChatModel): Promise<void> {
    try {
      const snapshot = await this.#graph.getState(configOf(threadId));
      const stopped = stoppedUpdate(snapshot.next, snapshot.values, progress, answeredByMetadata(model));
      if (!stopped) return;
      await this.#graph.updateState(configOf(threadId), stopped.update, stopped.asNode);
      // Every tab shows it as it now stands: the answer marked stopped, the calls cancelled.
      for (const message of stopped.messages) {
        if (AIMessage.isInstance(message))
          emit({ type: 'assistant_message', threadId, message: assistantDto(message, new Map(), new Map()) });
        const card = ToolMessage.isInstance(message) ? (message.artifact as { card: ToolCallCard }).card : undefined;
        if (card) emit({ type: 'tool_finished', threadId, toolCallId: card.toolCallId, card });
      }
    } catch (error) {
      this.deps.log.warn('keeping a stopped answer failed', { userId: this.deps.userId, threadId, error });
    }
  }

  /** A watcher that throws (a closed socket) must not break the run for everyone else. */
  #safeEmit(emit: (event: ChatEvent) => void, threadId: string): (event: ChatEvent) => void {
    return (event) => {
      try {
        emit(event);
      } catch (error) {
        this.deps.log.warn('chat event listener failed', { threadId, type: event.type, error });
      }
    };
  }
}

function configOf(threadId: string) {
  return { configurable: { thread_id: threadId } };
}

/** A turn begins with the person's message and nothing of the last turn's plan. */
function turnInput(message: HumanMessage): AgentStateUpdate {
  return { messages: [message], rejectedThisTurn: [], plan: [], decisions: null, proposedAt: null };
}

/** A decision on a pending approval (decide's Command), not a new turn, a retry or a continue. */
function isResume(input: unknown): boolean {
  return input instanceof Command && input.resume !== undefined;
}

/**
 * Test support for the agent: a real app database (migrated, in memory) with a person, catalogue
 * servers and a chat; in-memory fake tools behind the ToolCaller seam; and a handler manager
 * wired as in production except for the LLM endpoint (the scriptable fixture) and the tools; runs
 * that a test stops or whose failure reason it reads go through a run registry, as the chat service's do.
 */
import type { BaseCheckpointSaver } from '@langchain/langgraph-checkpoint';
import { MemorySaver } from '@langchain/langgraph';
import { openSqliteDatabase, type AppDatabase, type SqliteAppDatabase } from '../../db/database.ts';
import { chats, mcpServers, users, type ToolPolicy } from '../../db/schema.ts';
import { AuditStore } from '../../server/audit/audit-store.ts';
import { DatabaseChatSettings } from '../../server/agent/chat-settings.ts';
import { LLMHandlerManager } from '../../server/agent/llm-handler-manager.ts';
import { LocalEventHub } from '../../server/chats/local-event-hub.ts';
import { RunRegistry } from '../../server/chats/run-registry.ts';
import { LocalControlChannel } from '../../server/cluster/control-channel.ts';
import { Questions } from '../../server/chats/question-desk.ts';
import { QuestionStore } from '../../server/chats/question-store.ts';
import type { RunOptions } from '../../server/agent/llm-handler.ts';
import { createChatModel } from '../../server/agent/model.ts';
import type { AgentTool, ToolCallOptions, ToolCaller, ToolCallResult, ToolProgress } from '../../server/agent/tool-port.ts';
import type { LlmEndpoint } from '../../server/llm/endpoint.ts';
import { retryingFetch } from '../../server/llm/retrying-fetch.ts';
import type { Logger } from '../../server/log.ts';
import type { ChatEvent, ChatHistory, RunState } from '../../shared/chat-events.ts';

export const USER_ID = 'user-ada';

export interface ServerSeed {
  id: string;
  name: string;
  trusted?: boolean;
  defaultPolicy?: ToolPolicy;
  toolPolicies?: Record<string, ToolPolicy>;
}

export const notesServer: ServerSeed = { id: 'srv-notes', name: 'notes' };
export const clockServer: ServerSeed = { id: 'srv-clock', name: 'clock', trusted: true };

export function createNoteTool(): AgentTool {
  return {
    uniqueName: 'notes__create_note',
    serverId: notesServer.id,
    serverName: notesServer.name,
    name: 'create_note',
    title: 'Create note',
    description: 'Creates a note with a title and a body.',
    inputSchema: {
      type: 'object',
      properties: { title: { type: 'string', minLength: 1 }, body: { type: 'string' } },
      required: ['title', 'body'],
      additionalProperties: false,
    },
    annotations: { destructiveHint: false },
  };
}

export function getTimeTool(): AgentTool {
  return {
    uniqueName: 'clock__get_time',
    serverId: clockServer.id,
    serverName: clockServer.name,
    name: 'get_time',
    title: 'Current time',
    description: 'The current time in an IANA time zone.',
    inputSchema: { type: 'object', properties: { timezone: { type: 'string' } }, required: ['timezone'] },
    annotations: { readOnlyHint: true },
  };
}

/** In-memory tools: each call is recorded, and answered by the tool's handler. */
export class FakeTools implements ToolCaller {
  readonly calls: { uniqueName: string; args: Record<string, unknown> }[] = [];
  readonly #handlers = new Map<
    string,
    (args: Record<string, unknown>, report: (p: ToolProgress) => void) => Promise<ToolCallResult> | ToolCallResult
  >();

  on(
    uniqueName: string,
    handler: (args: Record<string, unknown>, report: (p: ToolProgress) => void) => Promise<ToolCallResult> | ToolCallResult,
  ): this {
    this.#handlers.set(uniqueName, handler);
    return this;
  }

  callsOf(uniqueName: string) {
    return this.calls.filter((call) => call.uniqueName === uniqueName);
  }

  async callTool(uniqueName: string, args: Record<string, unknown>, options: ToolCallOptions): Promise<ToolCallResult> {
    this.calls.push({ uniqueName, args });
    const handler = this.#handlers.get(uniqueName);
    if (!handler) return { ok: false, kind: 'unknown-tool', message: `no fake for ${uniqueName}` };
    return handler(args, (p) => options.onProgress?.(p));
  }
}

export const text = (value: string): ToolCallResult => ({ ok: true, content: [{ type: 'text', text: value }], text: value });

export function seedDatabase(db: AppDatabase, servers: ServerSeed[] = [notesServer, clockServer]): void {
  db.drizzle.insert(users).values({ id: USER_ID, issuer: 'https://idp.test', subject: 'ada', name: 'Ada' }).run();
  for (const server of servers) {
    db.drizzle
      .insert(mcpServers)
      .values({
        id: server.id,
        name: server.name,
        transport: 'streamable-http',
        url: `http://127.0.0.1/${server.name}`,
        trusted: server.trusted ?? false,
        defaultPolicy: server.defaultPolicy ?? 'ask',
        toolPolicies: server.toolPolicies ?? {},
      })
      .run();
  }
}

export function createChat(
  db: AppDatabase,
  init: { enabledServers?: string[]; alwaysAllowed?: string[] } = {},
): { chatId: string; threadId: string } {
  const chatId = crypto.randomUUID();
  const threadId = crypto.randomUUID();
  db.drizzle
    .insert(chats)
    .values({
      id: chatId,
      ownerId: USER_ID,
      threadId,
      enabledServers: init.enabledServers ?? [notesServer.id, clockServer.id],
      alwaysAllowed: init.alwaysAllowed ?? [],
    })
    .run();
  return { chatId, threadId };
}

export interface LogEntry {
  level: string;
  msg: string;
  fields?: Record<string, unknown>;
}

/** A logger that keeps what it is told, so tests can assert on failures without noise. */
export function recordingLogger(entries: LogEntry[] = []): Logger {
  const at = (level: string) => (msg: string, fields?: Record<string, unknown>) => void entries.push({ level, msg, fields });
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), child: () => recordingLogger(entries) };
}

/** The production retry policy, with delays short enough for tests. */
export const testRetryingFetch = retryingFetch({ retries: 2, baseDelayMs: 5, maxDelayMs: 50 });

export interface AgentHarness {
  db: SqliteAppDatabase;
  audit: AuditStore;
  tools: FakeTools;
  manager: LLMHandlerManager;
  logs: LogEntry[];
  /** Stops the runs started with `run` (`stop`, `stopAll`) and knows how they ended; keyed by thread id. */
  runs: RunRegistry;
  /** Runs a turn as the chat service does: holding its thread in `runs`, stopped through it, its end recorded there. */
  run(threadId: string, start: (options: RunOptions) => Promise<RunState>, options: RunOptions): Promise<RunState>;
  /** The thread's history as the chat service shows it: the checkpoint, with what `runs` knows laid over it. */
  history(threadId: string): Promise<ChatHistory>;
}

export function createHarness(options: {
  /** The fixture's base URL; or give a whole `endpoint` (the demo model, azure-ad). */
  baseURL?: string;
  endpoint?: LlmEndpoint;
  checkpointer?: BaseCheckpointSaver;
  db?: SqliteAppDatabase;
  tools?: FakeTools;
}): AgentHarness {
  const db = options.db ?? openSqliteDatabase(':memory:');
  if (!options.db) seedDatabase(db);
  const audit = new AuditStore(db);
  const tools = options.tools ?? new FakeTools();
  const logs: LogEntry[] = [];
  const endpoint = options.endpoint ?? {
    provider: 'openai' as const,
    baseURL: options.baseURL ?? 'http://127.0.0.1:9/v1',
    model: 'test-model',
    apiKey: 'test-key',
    fetch: testRetryingFetch,
  };
  const hub = new LocalEventHub<ChatEvent>({ retentionMs: 60_000, maxEvents: 1_000 });
  const manager = new LLMHandlerManager({
    model: () => createChatModel(endpoint, recordingLogger(logs)),
    samplingModel: (maxTokens) => createChatModel(endpoint, recordingLogger(logs), { maxTokens }),
    questions: new Questions(new QuestionStore(db), hub, new LocalControlChannel()),
    checkpointer: options.checkpointer ?? new MemorySaver(),
    chats: new DatabaseChatSettings(db),
    audit,
    toolCallerFor: () => tools,
    log: recordingLogger(logs),
  });
  const runs = new RunRegistry();
  return {
    db,
    audit,
    tools,
    manager,
    logs,
    runs,
    async run(threadId, start, options) {
      const claim = await runs.claim(threadId, USER_ID, 'This chat is still answering.');
      try {
        const state = await start({ ...options, signal: claim.signal });
        await runs.ended(threadId, claim, state);
        return state;
      } finally {
        await runs.release(threadId, claim);
      }
    },
    async history(threadId) {
      const history = await manager.get(USER_ID).history(threadId);
      return { ...history, runState: await runs.overlay(threadId, history.runState) };
    },
  };
}

/** Run options that collect every event. */
export function collector(): RunOptions & {
  events: ChatEvent[];
  ofType<T extends ChatEvent['type']>(type: T): Extract<ChatEvent, { type: T }>[];
} {
  const events: ChatEvent[] = [];
  return {
    events,
    emit: (event) => events.push(event),
    ofType: <T extends ChatEvent['type']>(type: T) => events.filter((e): e is Extract<ChatEvent, { type: T }> => e.type === type),
  };
}

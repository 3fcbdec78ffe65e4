/**
 * Starts and stops a whole Countersign server: the one composition root. It builds every store
 * and service and hands each feature only what that feature declares it needs. `main.ts` calls
 * it with the environment's configuration; tests call it with a literal configuration on port 0.
 */
import { BunSqliteSaver } from '../db/checkpointer/bun-sqlite-saver.ts';
import type { AppDatabase } from '../db/database.ts';
import { AdminApiTokenStore } from './admin/stores/api-tokens.ts';
import { AdminAuditStore } from './admin/stores/audit.ts';
import { AdminServerLogStore } from './admin/stores/server-logs.ts';
import { AdminUserStore } from './admin/stores/users.ts';
import { DatabaseChatSettings } from './agent/chat-settings.ts';
import { LLMHandlerManager } from './agent/llm-handler-manager.ts';
import { createChatModel } from './agent/model.ts';
import { createApp } from './app.ts';
import { AuditStore } from './audit/audit-store.ts';
import type { AuthService } from './auth/auth-service.ts';
import { setUpAuth } from './auth/setup.ts';
import { ChatStore } from './chats/chat-store.ts';
import { TurnStartQueue } from './chats/admission.ts';
import { ChatService } from './chats/service.ts';
import { MessageIndex } from './chats/message-index.ts';
import { SettingsStore } from './settings/settings-store.ts';
import { announceListChanges } from './chats/server-lists-notice.ts';
import type { Config } from './config.ts';
import { ToolService } from './tools/service.ts';
import { UserHandlers } from './tools/user-handlers.ts';
import { loadTokenCipher } from './crypto/encryption-key.ts';
import { openEngines } from './engines.ts';
import { Lifecycle } from './lifecycle.ts';
import { serverReadiness } from './readiness/server-readiness.ts';
import { type LlmEndpoint, resolveLlmEndpoint } from './llm/endpoint.ts';
import { Questions } from './chats/question-desk.ts';
import { QuestionStore } from './chats/question-store.ts';
import { modelInfo } from './llm/model-info.ts';
import { createLogger, type Logger } from './log.ts';
import type { CatalogueService } from './mcp/catalogue.ts';
import type { MCPHandlerManager } from './mcp/mcp-handler-manager.ts';
import { onBehalfOfSource } from './mcp/oauth/on-behalf-of-auth.ts';
import { McpSignIn } from './mcp/oauth/sign-in.ts';
import { setUpMcp } from './mcp/setup.ts';
import { NotesStore } from './mcp-server/notes-store.ts';
import { BUN_BODY_CAP, limitRequestBodies } from './request-body-limit.ts';
import { PreferenceStore } from './agent/preference-store.ts';
import { trpcPayloadTooLarge } from './trpc/http.ts';
import { socketCompression } from './trpc/socket-compression.ts';
import { createAppRouter } from './api/root.ts';
import { chatIdOfPath } from '../shared/chats.ts';
import { answeringModel } from '../shared/models.ts';
import { ModelCatalogue } from './models/model-catalogue.ts';
import { ModelStore } from './models/model-store.ts';
import { ChatModels } from './agent/chat-models.ts';
import { UsageStore } from './models/usage-store.ts';
import { FileStore } from './files/file-store.ts';
import { FileService } from './files/file-service.ts';
import { isUpload, uploadAllowance } from './files/upload-requests.ts';
import { setUpMetrics } from './metrics/setup.ts';
import { setUpTracing } from './telemetry/tracing.ts';

/** A running server, and the parts of it that tests and benchmarks drive directly. */
export interface RunningServer {
  readonly url: string;
  readonly config: Config;
  readonly log: Logger;
  /** The application database. */
  readonly db: AppDatabase;
  readonly auth: AuthService;
  /** The MCP servers users may connect to, defined by admins. */
  readonly catalogue: CatalogueService;
  /** Each person's MCP connections and tools. */
  readonly mcpHandlers: MCPHandlerManager;
  /** Each person's LLM handler (their compiled graph). */
  readonly llmHandlers: LLMHandlerManager;
  /** A person's MCP and LLM handlers working together. */
  readonly userHandlers: UserHandlers;
  /** People's chats, the runs on them and their event streams. */
  readonly chats: ChatService;
  /** Stops accepting requests, lets features finish or checkpoint their work, closes the database. */
  stop(): Promise<void>;
}

export async function startServer(config: Config, log: Logger = createLogger(config.logLevel)): Promise<RunningServer> {
  const { cluster } = config;
  const engines = await openEngines(config, log);
  const { db, checkpointer, control, runs } = engines;
  const lifecycle = new Lifecycle(log);
  lifecycle.onShutdown('database and checkpointer', () => engines.closeStores());
  // After the runs have let go and the sockets closed (registered earlier, so it runs later).
  lifecycle.onShutdown('shared state', () => engines.closeShared());

  let listening = '';
  const origin = () => config.publicUrl ?? listening;
  const compression = socketCompression(config.websocketCompression);
  const cipher = loadTokenCipher({ ...config.tokenEncryption, dataDir: config.dataDir });
  // Before the app listens: with no configured provider this starts the development one.
  const authSetup = await setUpAuth({ config, db, log, lifecycle, origin, control, cipher });
  const auth = authSetup.service;
  // Bun's cap on outgoing HTTP requests is applied by main.ts at process start (see mcp/http-request-cap.ts).
  const chatStore = new ChatStore(db);
  const mcp = setUpMcp({
    config,
    db,
    log,
    origin,
    control,
    cipher,
    onBehalfOf: onBehalfOfSource(authSetup.registration, auth.identityTokens),
    chosenRoots: {
      ofChat: async (userId, chatId) => (await chatStore.get(userId, chatId))?.roots,
      ofPerson: (userId) => chatStore.rootsOfOwner(userId),
    },
  });
  const mcpHandlers = mcp.manager;
  const turnStarts = new TurnStartQueue(config.llm.turnStartConcurrency);
  const metrics = setUpMetrics({
    config: config.metrics,
    db,
    lifecycle,
    log,
    checkpointer,
    sources: {
      runningAnswers: () => runs.localRunCount,
      queuedTurnStarts: () => turnStarts.waitingCount,
      mcpConnectionStates: () => mcpHandlers.userIds().flatMap((userId) => mcpHandlers.peek(userId)?.connectionStatuses() ?? []),
    },
  });
  setUpTracing({ config: config.traces, lifecycle, log, checkpointer, db });
  const questions = new Questions(new QuestionStore(db), engines.hub, control);
  const models = new ModelCatalogue(new ModelStore(db), cipher, log.child({ feature: 'models' }));
  await models.seed(config.llm);
  // Resolved on first use, so a server nobody chats with never builds a model client.
  let endpoint: LlmEndpoint | undefined;
  const modelEndpoint = () => (endpoint ??= resolveLlmEndpoint(config));
  const modelLog = log.child({ feature: 'model' });
  const usage = new UsageStore(db);
  const chatModels = new ChatModels({
    db,
    catalogue: models,
    usage,
    config,
    isConfiguredAdmin: (user) => auth.isConfiguredAdmin(user),
    log: modelLog,
  });
  const fileStore = new FileStore(db);
  const files = new FileService(
    fileStore,
    {
      owned: (userId, chatId) => chatStore.get(userId, chatId),
      modelOf: (userId, chat) => chatModels.answering(userId, chat.modelId),
    },
    config.files,
  );
  const llmHandlers = new LLMHandlerManager({
    // Reads and writes chats' state; each run answers with the chat's catalogue model (modelFor).
    model: () => createChatModel(modelEndpoint(), modelLog),
    samplingModel: (maxTokens) => createChatModel(modelEndpoint(), modelLog, { maxTokens }),
    modelFor: (userId, threadId) => chatModels.forThread(userId, threadId),
    questions,
    checkpointer,
    chats: new DatabaseChatSettings(db),
    audit: new AuditStore(db),
    // A person's tool calls go to their MCP handler as it is at call time (it may have been rebuilt).
    toolCallerFor: (userId) => ({ callTool: (...call) => mcpHandlers.forUser(userId).callTool(...call) }),
    files: fileStore,
    observer: metrics.runObserver,
    log: log.child({ feature: 'agent' }),
  });
  // The chats run through the run registry, and a person's handlers ask it whether they are idle.
  const userHandlers = new UserHandlers(mcpHandlers, llmHandlers, runs, log, { idleMs: config.mcp.handlerIdleMs });
  // A person's handlers go with their sessions: signed out, disabled, or sessions ended by an admin.
  auth.onSessionsEnded(({ userId }) => userHandlers.release(userId));
  // A server's prompts or resources changed: the composers of the person's chats that use it list them again.
  mcpHandlers.toolsChanged.add(announceListChanges(engines.hub, chatStore, log.child({ feature: 'chats' })));
  const chats = new ChatService({
    handlers: userHandlers,
    chats: chatStore,
    messages: new MessageIndex(db),
    hub: engines.hub,
    people: engines.people,
    runs,
    turnStarts,
    history: checkpointer,
    questions,
    roots: { server: (id) => mcp.catalogue.get(id), changed: (userId, serverId) => mcpHandlers.rootsChanged(userId, serverId) },
    connectedServers: (userId) => mcpHandlers.forUser(userId).serverIds(),
    files,
    startingModel: (userId) => chatModels.startingModel(userId),
    log: log.child({ feature: 'chats' }),
  });
  const tools = new ToolService({
    catalogue: mcp.catalogue,
    preferences: new PreferenceStore(db),
    handlers: userHandlers,
    chats,
    authorisations: mcp.auth.deps.authorisations,
    model: modelInfo(config.llm),
    devSignIn: config.auth.authority === undefined,
  });
  const router = createAppRouter({
    auth,
    tools,
    chats,
    settings: new SettingsStore(db),
    limiters: metrics.countingRefusals(engines.limiters),
    models: chatModels,
    files,
  });

  const probes = serverReadiness({
    config,
    db,
    // Only a checkpointer with a SQLite file of its own has a connection worth probing apart.
    checkpoints:
      checkpointer instanceof BunSqliteSaver && db.kind === 'sqlite' && checkpointer.db !== db.sqlite ? checkpointer.db : undefined,
    // As chats start: the catalogue's enabled default, else its first enabled entry.
    defaultModel: async () => {
      const enabled = (await models.list()).filter((row) => row.enabled);
      return answeringModel(enabled, null);
    },
    draining: () => lifecycle.stopping,
  });
  // Shutdown runs its steps last-registered first: stop accepting (registered below) → let chat
  // runs finish or checkpoint → close MCP clients → close sockets (registered by createApp's
  // features) → wait for HTTP to drain (registered here, so it runs after the sockets closed) →
  // shared state (run leases, events, the control channel) → checkpointer and database.
  // The readiness probes' own connections close after HTTP has drained, before the stores do.
  lifecycle.onShutdown('readiness probes', () => probes.close());
  let httpStopped: Promise<unknown> = Promise.resolve();
  lifecycle.onShutdown('http drained', async () => {
    await httpStopped;
  });
  const app = createApp({
    health: { readiness: probes.readiness, stopping: () => lifecycle.stopping },
    internalMcp: { notes: new NotesStore(db), verifyToken: (token) => mcpHandlers.userTokens.verify(token), lifecycle, control, origin },
    auth: { auth, log, publicUrl: config.publicUrl, origin },
    mcpOAuth: {
      signIn: new McpSignIn({ catalogue: mcp.catalogue, auth: mcp.auth, origin }),
      auth,
      origin,
      log: log.child({ feature: 'mcp-oauth' }),
      signedIn: async (userId, serverId, returnTo) => {
        const chatId = chatIdOfPath(returnTo);
        if (chatId) await chats.resumeAfterSignIn(userId, chatId, serverId);
      },
    },
    trpc: {
      router,
      auth,
      log,
      lifecycle,
      origin,
      compressFrame: compression.compressFrame,
      sharedSocketCount: engines.sharedSocketCount,
      acceptsForm: (request) => isUpload(request, origin()),
      countSocket: metrics.countSocket,
    },
    admin: {
      auth,
      catalogue: mcp.catalogue,
      userTokens: mcpHandlers.userTokens,
      mcpAuth: mcp.auth,
      revokeAuthorisation: (userId, serverId) => mcpHandlers.revokeAuthorisation(userId, serverId),
      origin,
      stopAgent: async (userId) => {
        llmHandlers.remove(userId);
        await runs.stopRunsOf(userId);
      },
      log,
      users: new AdminUserStore(db),
      audit: new AdminAuditStore(db),
      tokens: new AdminApiTokenStore(db),
      serverLogs: new AdminServerLogStore(db),
      models,
      modelConfig: config,
      usage,
      graphiql: config.env === 'development',
    },
    files: { authenticate: (request) => auth.authenticate(request), files },
    metrics: metrics.routes,
    web: auth,
  }).wrap(limitRequestBodies(config.maxRequestBodyBytes, trpcPayloadTooLarge, uploadAllowance(config.files.maxFileBytes)));
  app.listen({
    hostname: config.host,
    port: config.port,
    maxRequestBodySize: BUN_BODY_CAP,
    // A WebSocket frame carries one call, or a batch of them, just as a request body does.
    websocket: { maxPayloadLength: config.maxRequestBodyBytes, perMessageDeflate: compression.perMessageDeflate },
  });
  const server = app.server;
  if (!server) throw new Error('the HTTP server did not start');
  listening = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${server.port}`;
  authSetup.appListening();
  lifecycle.onShutdown('mcp', () => mcpHandlers.closeAll());
  // Give answers in flight a moment to finish, then stop the rest. Their checkpoints keep every
  // finished step, and pending approvals stay pending across the restart.
  lifecycle.onShutdown('chat runs', async () => {
    await Promise.race([chats.drain(), Bun.sleep(config.shutdownTimeoutMs / 2)]);
    llmHandlers.shutdown();
    await runs.stopAll();
    await chats.drain();
  });
  lifecycle.onShutdown('idle handlers', () => userHandlers.stopIdleSweep());
  // Registered last, so it runs first: no new requests or sockets; open ones are closed by the steps above.
  lifecycle.onShutdown('http', () => {
    httpStopped = app.stop();
  });
  // Runs before all else: /readyz already answers 503 (lifecycle.stopping), and everything still
  // serves until the load balancer has seen that and stopped sending.
  if (config.drainDelayMs > 0) lifecycle.onShutdown('drain delay', () => Bun.sleep(config.drainDelayMs));
  await mcp.appListening();
  log.info('countersign listening', {
    url: origin(),
    database: cluster ? `postgres schema ${cluster.databaseSchema}` : config.databasePath,
  });

  return {
    url: listening,
    config,
    log,
    db,
    auth,
    catalogue: mcp.catalogue,
    mcpHandlers,
    llmHandlers,
    userHandlers,
    chats,
    stop: () => lifecycle.shutdown(config.shutdownTimeoutMs),
  };
}

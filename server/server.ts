/**
 * Starts and stops a whole Countersign server. `main.ts` calls it with the environment's
 * configuration; tests call it with a literal configuration on port 0.
 */
import { BunSqliteSaver } from '../db/checkpointer/bun-sqlite-saver.ts';
import { openDatabase } from '../db/database.ts';
import { createApp } from './app.ts';
import { setUpAuth } from './auth/setup.ts';
import type { Config } from './config.ts';
import { Lifecycle } from './lifecycle.ts';
import { createLogger, type Logger } from './log.ts';
import { BUN_BODY_CAP, limitRequestBodies } from './request-body-limit.ts';
import { trpcPayloadTooLarge } from './trpc/http.ts';
import { setUpMcp } from './mcp/setup.ts';
import { createLlmHandlerManager } from './agent/handler-manager.ts';
import { ChatRuns } from './chats/chat-runs.ts';
import { ChatStore } from './chats/chat-store.ts';
import { EventHub } from './chats/event-hub.ts';
import { UserHandlers } from './handlers/user-handlers.ts';
import type { ChatEvent } from '../shared/chat-events.ts';
import type { Services } from './services.ts';

export interface RunningServer {
  readonly url: string;
  readonly services: Services;
  /** Stops accepting requests, lets features finish or checkpoint their work, closes the database. */
  stop(): Promise<void>;
}

export async function startServer(config: Config, log: Logger = createLogger(config.logLevel)): Promise<RunningServer> {
  const db = openDatabase(config.databasePath);
  const lifecycle = new Lifecycle(log);
  lifecycle.onShutdown('database', () => db.close());
  // Sharing the app's connection when both live in one file keeps a single writer per process.
  const checkpointer = new BunSqliteSaver(
    config.checkpointDatabasePath === config.databasePath ? db.sqlite : config.checkpointDatabasePath,
  );
  lifecycle.onShutdown('checkpointer', () => checkpointer.close());

  let listening = '';
  const origin = () => config.publicUrl ?? listening;
  // Before the app listens: with no configured provider this starts the development one.
  const auth = await setUpAuth({ config, db, log, lifecycle, origin });
  // Bun's cap on outgoing HTTP requests is applied by main.ts at process start (see mcp/http-request-cap.ts).
  const mcp = setUpMcp({ config, db, log, origin });
  // A person's tool calls go to their MCP handler as it is at call time (it may have been rebuilt).
  const agent = createLlmHandlerManager(
    { config, db, log },
    { checkpointer, toolCallerFor: (userId) => ({ callTool: (...call) => mcp.manager.forUser(userId).callTool(...call) }) },
  );
  const handlers = new UserHandlers(mcp.manager, agent, log, { idleMs: config.mcp.handlerIdleMs });
  // A person's handlers go with their sessions: signed out, disabled, or sessions ended by an admin.
  auth.service.onSessionsEnded(({ userId }) => handlers.release(userId));
  // Missed events stay replayable for ten minutes of disconnect; older gaps get a reset signal.
  const hub = new EventHub<ChatEvent>({ retentionMs: 10 * 60_000, maxEvents: 5_000 });
  const chatRuns = new ChatRuns(handlers, new ChatStore(db), hub, log.child({ feature: 'chats' }));
  const services: Services = {
    config,
    log,
    db,
    lifecycle,
    auth: auth.service,
    checkpointer,
    origin,
    mcp: mcp.manager,
    catalogue: mcp.catalogue,
    agent,
    handlers,
    chatRuns,
  };
  // Shutdown runs its steps last-registered first: stop accepting (registered below) → let chat
  // runs finish or checkpoint → close MCP clients → close sockets (registered by createApp's
  // features) → wait for HTTP to drain (registered here, so it runs after the sockets closed) →
  // checkpointer → database.
  let httpStopped: Promise<unknown> = Promise.resolve();
  lifecycle.onShutdown('http drained', async () => {
    await httpStopped;
  });
  const app = createApp(services).wrap(limitRequestBodies(config.maxRequestBodyBytes, trpcPayloadTooLarge));
  app.listen({
    hostname: config.host,
    port: config.port,
    maxRequestBodySize: BUN_BODY_CAP,
    // A WebSocket frame carries one call, or a batch of them, just as a request body does.
    websocket: { maxPayloadLength: config.maxRequestBodyBytes },
  });
  const server = app.server;
  if (!server) throw new Error('the HTTP server did not start');
  listening = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${server.port}`;
  auth.appListening();
  lifecycle.onShutdown('mcp', () => mcp.manager.closeAll());
  // Give answers in flight a moment to finish, then stop the rest. Their checkpoints keep every
  // finished step, and pending approvals stay pending across the restart.
  lifecycle.onShutdown('chat runs', async () => {
    await Promise.race([chatRuns.drain(), Bun.sleep(config.shutdownTimeoutMs / 2)]);
    await agent.shutdown();
    await chatRuns.drain();
  });
  lifecycle.onShutdown('idle handlers', () => handlers.stopIdleSweep());
  // Registered last, so it runs first: no new requests or sockets; open ones are closed by the steps above.
  lifecycle.onShutdown('http', () => {
    httpStopped = app.stop();
  });
  await mcp.appListening();
  log.info('countersign listening', { url: services.origin(), database: config.databasePath });

  return {
    url: listening,
    services,
    stop: () => lifecycle.shutdown(config.shutdownTimeoutMs),
  };
}

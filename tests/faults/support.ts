/**
 * Shared by the fault tests: a whole server whose model is the scriptable OpenAI fixture, a signed-in
 * person, and a recorder for a chat's event stream. Every wait is bounded; none is a timing assertion.
 */
import { INTERNAL_SERVER_ID } from '../../server/mcp/catalogue-seed.ts';
import { startOpenAIFixture, type OpenAIFixture } from '../fixtures/openai-fixture.ts';
import type { ChatStreamEvent } from '../../shared/chats.ts';
import { Recorder, signIn, type Person } from '../support/people.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

/** The built-in MCP server's catalogue id. */
export const INTERNAL = INTERNAL_SERVER_ID;

export interface FaultKit extends AsyncDisposable {
  server: TestServer;
  model: OpenAIFixture;
  person: Person;
}

/** A server on a scriptable model, with one person signed in through the development provider. */
export async function startFaultKit(env: Record<string, string> = {}, email = 'uma@countersign.dev'): Promise<FaultKit> {
  const model = startOpenAIFixture();
  const server = await startTestServer({ LLM_PROVIDER: 'openai', LLM_BASE_URL: model.baseURL, LLM_MODEL: 'fixture-model', ...env });
  const person = await signIn(server.url, email);
  return {
    server,
    model,
    person,
    async [Symbol.asyncDispose]() {
      await person.client.close();
      await server[Symbol.asyncDispose]();
      await model.stop();
    },
  };
}

/** A chat with a title, so no title request reaches the scripted model after the first answer. */
export async function newChat(person: Person, enabledServers: string[] = []) {
  return person.client.api.chats.create.mutate({ title: 'Fault test', enabledServers });
}

export interface Followed {
  recorder: Recorder<ChatStreamEvent>;
  unsubscribe(): void;
}

/** Follows a chat's events from its current cursor (or `lastEventId`). */
export async function follow(person: Person, chatId: string, lastEventId?: string): Promise<Followed> {
  const from = lastEventId ?? (await person.client.api.chats.get.query({ chatId })).cursor;
  const recorder = new Recorder<ChatStreamEvent>();
  const started = Promise.withResolvers<void>();
  const subscription = person.client.api.chats.events.subscribe(
    { chatId, lastEventId: from },
    { onData: recorder.push, onStarted: () => started.resolve() },
  );
  await started.promise;
  return { recorder, unsubscribe: () => subscription.unsubscribe() };
}

export const settled = (e: ChatStreamEvent) => e.type === 'run_state' && (e.state.status === 'idle' || e.state.status === 'failed');

/** The run's final state, once it has one. */
export async function finalState(recorder: Recorder<ChatStreamEvent>, timeoutMs = 20_000) {
  const event = await recorder.until(settled, timeoutMs);
  if (event.type !== 'run_state') throw new Error('unreachable');
  return event.state;
}

/**
 * OpenTelemetry traces: a server started with OTEL_EXPORTER_OTLP_ENDPOINT sends an in-process
 * OTLP/HTTP receiver the spans of one whole conversation (send → model → approval → decide → tool
 * → answer), parented as the README's "Traces" says, with neither the message nor the tool's
 * arguments in any span. Without the setting, nothing is sent.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { trace } from '@opentelemetry/api';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '../support/otlp-receiver.ts';
import { startOpenAIFixture } from '../fixtures/openai-fixture.ts';
import { capturedLog, type LogLine } from '../support/captured-log.ts';
import { type Person, signIn } from '../support/people.ts';
import { startTestServer, testConfig } from '../support/test-server.ts';
import { finalState, follow, INTERNAL, newChat } from '../faults/support.ts';
import { postGraphQL, signInAdmin } from '../admin/support.ts';

const NOTES_CREATE = 'countersign__notes_create';
const MESSAGE = 'Save a note titled Traces.';
const NOTE_BODY = 'a body only the tool may see';
const SERVER = 2;
const CLIENT = 3;
const ERROR = 2;

/** Whether a span started now would be recorded: false while no tracer provider is registered. */
function recording(): boolean {
  const span = trace.getTracer('probe').startSpan('probe');
  span.end();
  return span.isRecording();
}

interface Kit extends AsyncDisposable {
  url: string;
  person: Person;
  /** Every line the server logged, parsed. */
  lines: LogLine[];
}

/** A server answering with the scripted model (a note request becomes a tool call; its result, a short answer), its log read back. */
async function startKit(env: Record<string, string>): Promise<Kit> {
  const model = startOpenAIFixture();
  const { log, lines } = capturedLog();
  const server = await startTestServer(
    { LLM_PROVIDER: 'openai', LLM_BASE_URL: model.baseURL, LLM_MODEL: 'fixture-model', ...env },
    { log },
  );
  const person = await signIn(server.url, 'uma@countersign.dev');
  await person.client.api.servers.connect.mutate({ serverId: INTERNAL });
  model.fallback((body) => {
    const last = body.messages.at(-1);
    if (last?.role === 'tool')
      return { kind: 'text', text: 'Saved it.', usage: { prompt_tokens: 40, completion_tokens: 3, total_tokens: 43 } };
    if (last?.role === 'user' && String(last.content) === MESSAGE)
      return { kind: 'tool_calls', calls: [{ name: NOTES_CREATE, arguments: { title: 'Traces', body: NOTE_BODY } }] };
    return { kind: 'text', text: 'Hello.' };
  });
  return {
    url: server.url,
    person,
    lines,
    async [Symbol.asyncDispose]() {
      await person.client.close();
      await server[Symbol.asyncDispose]();
      await model.stop();
    },
  };
}

/** One conversation with an approved tool call, as a person has it. */
async function converse(kit: Kit): Promise<void> {
  const chat = await newChat(kit.person, [INTERNAL]);
  const { recorder, unsubscribe } = await follow(kit.person, chat.id);
  await kit.person.client.api.chats.send.mutate({ chatId: chat.id, text: MESSAGE });
  const asked = await recorder.until((e) => e.type === 'approval_requested');
  if (asked.type !== 'approval_requested') throw new Error('unreachable');
  await kit.person.client.api.chats.decide.mutate({
    chatId: chat.id,
    interruptId: asked.approval.interruptId,
    decisions: [{ toolCallId: asked.approval.items[0]!.toolCallId, action: 'approve' }],
  });
  expect(await finalState(recorder)).toEqual({ status: 'idle' });
  unsubscribe();
}

describe('with OTEL_EXPORTER_OTLP_ENDPOINT', () => {
  let receiver: OtlpReceiver;
  let spans: ReceivedSpan[];
  let lines: LogLine[];

  beforeAll(async () => {
    receiver = startOtlpReceiver();
    const kit = await startKit({
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_SERVICE_NAME: 'countersign-under-test',
      OTEL_SLOW_DB_MS: '0',
    });
    await converse(kit);
    const ada = await signInAdmin(kit.url);
    expect((await postGraphQL(kit.url, 'query TracedUsers { users { totalCount } }', { headers: { cookie: ada.cookie } })).status).toBe(
      200,
    );
    await ada.client.close();
    // Stopping the server flushes the spans still batched.
    await kit[Symbol.asyncDispose]();
    spans = receiver.spans;
    lines = kit.lines;
  });
  afterAll(async () => {
    await receiver[Symbol.asyncDispose]();
  });

  const named = (name: string) => spans.filter((span) => span.name === name);
  const one = (name: string, where: (span: ReceivedSpan) => boolean = () => true) => {
    const found = named(name).filter(where);
    expect(found.map((span) => span.name)).toEqual([name]);
    return found[0]!;
  };
  const childOf = (parent: ReceivedSpan) => (span: ReceivedSpan) => span.parentSpanId === parent.spanId && span.traceId === parent.traceId;

  test('every span names the service', () => {
    expect(spans.length).toBeGreaterThan(0);
    for (const span of spans) expect(span.resource['service.name']).toBe('countersign-under-test');
  });

  test('the send, its run, the model call and the approval are one chain', () => {
    const send = one('trpc chats.send');
    expect(send.kind).toBe(SERVER);
    expect(send.attributes).toMatchObject({ 'rpc.system': 'trpc', 'rpc.method': 'chats.send', 'countersign.outcome': 'ok' });
    expect(String(send.attributes['countersign.request_id'])).not.toBe('');

    const asking = one('agent.run', childOf(send));
    expect(asking.attributes['countersign.run.outcome']).toBe('awaiting_approval');
    const llm = one('agent.node llm', childOf(asking));
    const model = one('model.call', childOf(llm));
    expect(model.kind).toBe(CLIENT);
    expect(model.attributes['gen_ai.request.model']).toBe('fixture-model');
    expect(model.attributes['gen_ai.usage.input_tokens']).toBeGreaterThan(0);
    expect(model.attributes['gen_ai.usage.output_tokens']).toBeGreaterThan(0);
    expect(model.attributes['countersign.time_to_first_token_ms']).toBeGreaterThanOrEqual(0);
    const approval = one('agent.node approval', childOf(asking));
    expect(approval.attributes['countersign.node.outcome']).toBe('interrupted');
    expect(approval.statusCode).not.toBe(ERROR);
  });

  test('the decision’s run continues the send’s trace, linked to the decide request', () => {
    const send = one('trpc chats.send');
    const asking = one('agent.run', childOf(send));
    const decide = one('trpc chats.decide');
    expect(decide.attributes['countersign.outcome']).toBe('ok');

    const resumed = one('agent.run', childOf(asking));
    expect(resumed.attributes['countersign.run.resumes']).toBe(true);
    expect(resumed.attributes['countersign.run.outcome']).toBe('finished');
    expect(resumed.links).toContainEqual({ traceId: decide.traceId, spanId: decide.spanId });

    one('agent.node approval', childOf(resumed));
    const tools = one('agent.node tools', childOf(resumed));
    const call = one('mcp.call_tool', childOf(tools));
    expect(call.kind).toBe(CLIENT);
    expect(call.attributes).toMatchObject({ 'gen_ai.tool.name': NOTES_CREATE, 'countersign.tool.outcome': 'succeeded' });
    expect(call.attributes['mcp.server.name']).toBeString();
    expect(call.attributes['countersign.tool.arguments']).toBeUndefined();

    const answering = one('agent.node llm', childOf(resumed));
    const answer = one('model.call', childOf(answering));
    expect(answer.attributes).toMatchObject({ 'gen_ai.usage.input_tokens': 40, 'gen_ai.usage.output_tokens': 3 });
    expect(answer.events).toContain('first_token');
  });

  test('a GraphQL operation is a span named after it', () => {
    const operation = one('graphql TracedUsers');
    expect(operation.kind).toBe(SERVER);
    expect(operation.attributes).toMatchObject({ 'graphql.operation.type': 'query', 'countersign.outcome': 'ok' });
  });

  test('with OTEL_SLOW_DB_MS=0 every checkpoint write and statement of the turn is a db.slow span in its trace', () => {
    const send = one('trpc chats.send');
    const slow = named('db.slow').filter((span) => span.traceId === send.traceId);
    const writes = slow.filter((span) => String(span.attributes['db.operation.name']).startsWith('checkpoint '));
    const statements = slow.filter((span) => span.attributes['db.query.text'] !== undefined);
    expect(writes.length).toBeGreaterThan(0);
    expect(writes.length + statements.length).toBe(slow.length);
    // The send reads the person's chat under its own span, and says which statement it ran, placeholders and all.
    const chatRead = statements.find(
      (span) => span.parentSpanId === send.spanId && /^select .* from "chats"/i.test(String(span.attributes['db.query.text'])),
    );
    expect(chatRead?.attributes).toMatchObject({ 'db.system.name': 'sqlite', 'db.operation.name': 'SELECT' });
    expect(String(chatRead?.attributes['db.query.text'])).toContain('?');
  });

  test('a request’s log lines carry the trace id of its span, which carries the request id', () => {
    const traced = lines.filter((line) => line.traceId !== undefined);
    expect(traced.length).toBeGreaterThan(0);
    // A decision's run logs with the decide request's id in the send's trace: that request's span is linked from it.
    const requestIdsIn = (traceId: string) => {
      const inTrace = spans.filter((span) => span.traceId === traceId);
      const linked = inTrace.flatMap((span) => span.links).map((link) => spans.find((span) => span.spanId === link.spanId));
      return [...inTrace, ...linked]
        .filter((span) => span?.name.startsWith('trpc '))
        .map((span) => span!.attributes['countersign.request_id']);
    };
    for (const line of traced) expect(requestIdsIn(line.traceId!)).toContain(line.requestId!);
  });

  test('once the server has stopped, spans are no-ops again (other servers in this process are not traced)', () => {
    expect(recording()).toBe(false);
  });

  test('no span carries the message or the tool’s arguments', () => {
    const everything = JSON.stringify(spans);
    expect(everything).not.toContain('Save a note titled');
    expect(everything).not.toContain(NOTE_BODY);
  });
});

describe('with OTEL_CAPTURE_TOOL_ARGUMENTS=true', () => {
  test('a tool call’s span carries its arguments', async () => {
    await using receiver = startOtlpReceiver();
    const kit = await startKit({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_CAPTURE_TOOL_ARGUMENTS: 'true' });
    await converse(kit);
    await kit[Symbol.asyncDispose]();
    const [call] = receiver.spans.filter((span) => span.name === 'mcp.call_tool');
    expect(JSON.parse(String(call?.attributes['countersign.tool.arguments']))).toEqual({ title: 'Traces', body: NOTE_BODY });
  });
});

describe('without OTEL settings', () => {
  test('a whole conversation sends no spans anywhere', async () => {
    await using receiver = startOtlpReceiver();
    const kit = await startKit({ OTEL_SERVICE_NAME: 'countersign-untraced' });
    expect(recording()).toBe(false);
    await converse(kit);
    // Stopping would flush any spans batched; there are none, and no exporter to send them.
    await kit[Symbol.asyncDispose]();
    expect(receiver.requests).toBe(0);
    expect(receiver.spans).toEqual([]);
    expect(kit.lines.filter((line) => line.traceId !== undefined)).toEqual([]);
  });
});

describe('the OTEL settings', () => {
  test('the traces endpoint is used as it is; the general one gets /v1/traces; OTEL_SDK_DISABLED wins', () => {
    const url = (env: Record<string, string>) => testConfig(env).traces.otel?.url;
    expect(url({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' })).toBe('http://collector:4318/v1/traces');
    expect(url({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://tempo/otlp' })).toBe(
      'http://tempo/otlp',
    );
    expect(url({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_SDK_DISABLED: 'true' })).toBeUndefined();
    expect(url({ OTEL_EXPORTER_OTLP_ENDPOINT: '' })).toBeUndefined();
  });

  test('a bad value stops start-up with a sentence naming the setting', () => {
    expect(() => testConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' })).toThrow(
      'OTEL_EXPORTER_OTLP_ENDPOINT="collector:4318": must be an http(s) URL',
    );
    expect(() => testConfig({ OTEL_TRACES_SAMPLER: 'sometimes' })).toThrow('OTEL_TRACES_SAMPLER="sometimes"');
    expect(() => testConfig({ OTEL_SLOW_DB_MS: '-1' })).toThrow('OTEL_SLOW_DB_MS="-1"');
  });
});

/**
 * The model catalogue through the admin API: the LLM_* settings seed the first entry, admins add,
 * change, test and remove models with clear errors for bad input, one default at most, the API key
 * write-only (sealed at rest, never in an answer), and nobody but an admin gets anywhere.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { buildSchema, type GraphQLObjectType } from 'graphql';
import { ADMIN_SDL } from '../../server/admin/schema.ts';
import { type OpenAIFixture, startOpenAIFixture } from '../fixtures/openai-fixture.ts';
import { signIn, type Person } from '../support/people.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { type Admin, codes, type GraphQLAnswer, postGraphQL, signInAdmin } from './support.ts';

const SEEDED_KEY = 'sk-seeded-4be19a';
const TYPED_KEY = 'sk-typed-77c02f';
/** Every field of Model (all scalars), so a field added later is asked for too. */
const MODEL_FIELDS = `{ ${Object.keys((buildSchema(ADMIN_SDL).getType('Model') as GraphQLObjectType).getFields()).join(' ')} }`;

/** A model as the API answers (MODEL_FIELDS). */
interface ModelView {
  id: string;
  name: string;
  baseUrl: string | null;
  modelId: string | null;
  hasApiKey: boolean;
  isDefault: boolean;
  [field: string]: unknown;
}

let fixture: OpenAIFixture;
let server: TestServer;
let ada: Admin;
let uma: Person;
/** Every answer's raw text, to look for keys in at the end. */
const answers: string[] = [];

async function asAda(query: string, variables: Record<string, unknown> = {}): Promise<GraphQLAnswer> {
  const answer = await postGraphQL(server.url, query, { headers: { cookie: ada.cookie }, variables });
  answers.push(answer.text);
  return answer;
}

/** The data of an answer that must have worked. */
async function ok<T = Record<string, unknown>>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const answer = await asAda(query, variables);
  expect(answer.body.errors).toBeUndefined();
  return answer.body.data as T;
}

const listModels = () => ok(`{ models ${MODEL_FIELDS} }`).then((d) => d.models as ModelView[]);
const create = (input: Record<string, unknown>) =>
  asAda(`mutation($input: ModelInput!) { createModel(input: $input) ${MODEL_FIELDS} }`, { input });
const update = (id: string, input: Record<string, unknown>) =>
  asAda(`mutation($id: ID!, $input: ModelPatch!) { updateModel(id: $id, input: $input) ${MODEL_FIELDS} }`, { id, input });
const testModel = (variables: { input?: Record<string, unknown>; modelId?: string }) =>
  ok(
    `mutation($input: ModelPatch, $modelId: ID) { testModel(input: $input, modelId: $modelId) { ok error reply durationMs } }`,
    variables,
  ).then((d) => d.testModel as { ok: boolean; error: string | null; reply: string | null });

beforeAll(async () => {
  fixture = startOpenAIFixture();
  server = await startTestServer({
    LLM_PROVIDER: 'openai',
    LLM_BASE_URL: fixture.baseURL,
    LLM_MODEL: 'fixture-large',
    LLM_API_KEY: SEEDED_KEY,
  });
  ada = await signInAdmin(server.url);
  uma = await signIn(server.url, 'uma@countersign.dev');
});
afterAll(async () => {
  await uma.client.close();
  await server[Symbol.asyncDispose]();
  await fixture.stop();
});

describe('the LLM_* settings', () => {
  test('seed the first entry, the default, with its key stored but not shown', async () => {
    expect(await listModels()).toEqual([
      expect.objectContaining({
        name: 'fixture-large',
        provider: 'OPENAI',
        baseUrl: fixture.baseURL,
        modelId: 'fixture-large',
        hasApiKey: true,
        isDefault: true,
        enabled: true,
        supportsToolCalls: true,
        acceptsImages: false,
        allowedRoles: [],
      }),
    ]);
  });

  test('the seeded model answers a test with the settings key', async () => {
    const [seeded] = await listModels();
    fixture.script({ kind: 'text', text: 'OK' });
    expect(await testModel({ modelId: seeded!.id })).toMatchObject({ ok: true, error: null, reply: 'OK' });
    expect(fixture.requests.at(-1)).toMatchObject({ authorization: `Bearer ${SEEDED_KEY}`, body: { model: 'fixture-large' } });
  });

  test('do not seed again over an admin-managed catalogue after a restart', async () => {
    const [seeded] = await listModels();
    expect((await update(seeded!.id, { name: 'Renamed by an admin' })).body.errors).toBeUndefined();
    server = await server.restart({ LLM_MODEL: 'another-model' });
    ada = await signInAdmin(server.url);
    await uma.client.close();
    uma = await signIn(server.url, 'uma@countersign.dev');
    expect((await listModels()).map((m) => m.name)).toEqual(['Renamed by an admin']);
  });
});

describe('admins manage models', () => {
  test('a new model is added with its key sealed at rest, and tested as saved', async () => {
    const answer = await create({
      name: 'Small',
      provider: 'OPENAI',
      baseUrl: fixture.baseURL,
      modelId: 'fixture-small',
      apiKey: TYPED_KEY,
      contextWindow: 32_000,
      acceptsImages: true,
      supportsToolCalls: false,
      allowedRoles: ['ADMIN'],
    });
    expect(answer.body.errors).toBeUndefined();
    const small = answer.body.data!.createModel as ModelView;
    expect(small).toMatchObject({
      name: 'Small',
      hasApiKey: true,
      contextWindow: 32_000,
      acceptsImages: true,
      supportsToolCalls: false,
      isDefault: false,
    });
    expect(small.allowedRoles).toEqual(['ADMIN']);
    const stored = server.db.sqlite.query<{ api_key: string }, [string]>('select api_key from models where id = ?').get(small.id);
    expect(stored!.api_key).toStartWith('v1.');
    expect(stored!.api_key).not.toContain(TYPED_KEY);

    fixture.script({ kind: 'text', text: 'OK' });
    expect(await testModel({ modelId: small.id })).toMatchObject({ ok: true, reply: 'OK' });
    expect(fixture.requests.at(-1)).toMatchObject({ authorization: `Bearer ${TYPED_KEY}`, body: { model: 'fixture-small' } });
  });

  test('making a model the default makes the others not', async () => {
    const small = (await listModels()).find((m) => m.name === 'Small')!;
    expect((await update(small.id, { isDefault: true })).body.errors).toBeUndefined();
    expect((await listModels()).filter((m) => m.isDefault).map((m) => m.name)).toEqual(['Small']);
  });

  test('a stored key does not follow a model to a new address', async () => {
    const small = (await listModels()).find((m) => m.name === 'Small')!;
    const moved = await update(small.id, { baseUrl: 'https://elsewhere.example/v1' });
    expect(codes(moved)).toEqual(['BAD_USER_INPUT']);
    expect(moved.body.errors![0]!.message).toContain('apiKey: give the key again');
    // Clearing the key (null) with the move is allowed, and the key is gone.
    const cleared = await update(small.id, { baseUrl: 'https://elsewhere.example/v1', apiKey: null });
    expect(cleared.body.errors).toBeUndefined();
    expect(cleared.body.data!.updateModel).toMatchObject({ baseUrl: 'https://elsewhere.example/v1', hasApiKey: false });
  });

  test('bad input is refused with what was wrong, and nothing is saved', async () => {
    const before = await listModels();
    const cases: [Record<string, unknown>, string, string][] = [
      [{ name: 'No URL', provider: 'OPENAI' }, 'BAD_USER_INPUT', 'baseUrl: is needed for the openai provider'],
      [
        { name: 'No scope', provider: 'AZURE_AD', baseUrl: fixture.baseURL },
        'BAD_USER_INPUT',
        'tokenScope: is needed for the azure-ad provider',
      ],
      [{ name: 'FTP', provider: 'OPENAI', baseUrl: 'ftp://127.0.0.1/v1' }, 'BAD_USER_INPUT', 'baseUrl: must be an http(s) URL'],
      [{ name: 'Tiny', provider: 'DEMO', contextWindow: 10 }, 'BAD_USER_INPUT', 'contextWindow'],
      [{ name: ' ', provider: 'DEMO' }, 'BAD_USER_INPUT', 'name'],
      [
        { name: 'Off default', provider: 'DEMO', enabled: false, isDefault: true },
        'BAD_USER_INPUT',
        'isDefault: a disabled model cannot be the default',
      ],
      [{ name: 'Small', provider: 'DEMO' }, 'CONFLICT', 'A model named Small already exists'],
    ];
    for (const [input, code, words] of cases) {
      const answer = await create(input);
      expect(codes(answer)).toEqual([code]);
      expect(answer.body.errors![0]!.message).toContain(words);
    }
    expect(await listModels()).toEqual(before);
  });

  test('a model is removed, and then is not found', async () => {
    const demo = (await create({ name: 'Demo', provider: 'DEMO' })).body.data!.createModel as { id: string };
    expect(await ok('mutation($id: ID!) { deleteModel(id: $id) }', { id: demo.id })).toEqual({ deleteModel: demo.id });
    expect(await ok('query($id: ID!) { model(id: $id) { id } }', { id: demo.id })).toEqual({ model: null });
    expect(codes(await asAda('mutation($id: ID!) { deleteModel(id: $id) }', { id: demo.id }))).toEqual(['NOT_FOUND']);
    expect(codes(await update(demo.id, { name: 'Back' }))).toEqual(['NOT_FOUND']);
  });
});

describe('testing a model before saving it', () => {
  test('the demo model answers offline', async () => {
    const result = await testModel({ input: { provider: 'DEMO' } });
    expect(result.ok).toBe(true);
    expect(result.reply).toBeTruthy();
  });

  test('a refused key comes back in plain words, and nothing is saved', async () => {
    const before = await listModels();
    fixture.script({ kind: 'error', status: 401, message: 'Incorrect API key provided' });
    const result = await testModel({ input: { provider: 'OPENAI', baseUrl: fixture.baseURL, apiKey: 'sk-wrong' } });
    expect(result).toMatchObject({ ok: false, reply: null });
    expect(result.error).toContain("refused the server's credentials (HTTP 401)");
    expect(fixture.requests.at(-1)?.authorization).toBe('Bearer sk-wrong');
    expect(await listModels()).toEqual(before);
  });

  test('an address nothing listens on is told as unreachable', async () => {
    const result = await testModel({ input: { provider: 'OPENAI', baseUrl: 'http://127.0.0.1:9/v1' } });
    expect(result.ok).toBe(false);
    expect(result.error).toContain('could not be reached');
  });

  test('input over a saved model overrides it for the test only', async () => {
    const seeded = (await listModels()).find((m) => m.name === 'Renamed by an admin')!;
    fixture.script({ kind: 'text', text: 'OK' });
    expect(await testModel({ modelId: seeded.id, input: { modelId: 'fixture-other' } })).toMatchObject({ ok: true });
    expect(fixture.requests.at(-1)).toMatchObject({ authorization: `Bearer ${SEEDED_KEY}`, body: { model: 'fixture-other' } });
    expect((await listModels()).find((m) => m.id === seeded.id)!.modelId).toBe('fixture-large');
  });

  test('giving nothing to test is refused', async () => {
    const answer = await asAda('mutation { testModel { ok } }');
    expect(codes(answer)).toEqual(['BAD_USER_INPUT']);
  });
});

test('people who are not admins can neither read, change nor test models', async () => {
  const [model] = await listModels();
  const operations: [string, Record<string, unknown>][] = [
    [`{ models { id } }`, {}],
    [`query($id: ID!) { model(id: $id) { id } }`, { id: model!.id }],
    [`mutation { createModel(input: { name: "Sneaky", provider: DEMO }) { id } }`, {}],
    [`mutation($id: ID!) { updateModel(id: $id, input: { name: "Taken over" }) { id } }`, { id: model!.id }],
    [`mutation($id: ID!) { deleteModel(id: $id) }`, { id: model!.id }],
    [`mutation($id: ID!) { testModel(modelId: $id) { ok } }`, { id: model!.id }],
  ];
  const requestsBefore = fixture.requests.length;
  for (const [query, variables] of operations) {
    const answer = await postGraphQL(server.url, query, { headers: { cookie: uma.cookie }, variables });
    expect(codes(answer)).toEqual(['FORBIDDEN']);
  }
  expect(fixture.requests.length).toBe(requestsBefore);
  expect((await listModels()).find((m) => m.id === model!.id)).toEqual(model!);
});

test('no answer carried an API key', () => {
  expect(answers.length).toBeGreaterThan(10);
  for (const text of answers) {
    expect(text).not.toContain(SEEDED_KEY);
    expect(text).not.toContain(TYPED_KEY);
  }
});

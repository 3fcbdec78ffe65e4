/**
 * Models people may use by group, through the typed client and GraphQL: people sign in through the
 * development OpenID provider, whose ID tokens carry their groups as Entra ID's do. A model for a
 * group is offered to and answers its members only; an admin role counts only when listed; a
 * person's groups are those of their latest sign-in, so a person taken out of the group loses the
 * model and their chat falls back to the default. Bad group lists are refused by field. The groups'
 * storage runs on SQLite and PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import type { AppDatabase } from '../../db/database.ts';
import { ChatModels } from '../../server/agent/chat-models.ts';
import { DrizzleUserStore } from '../../server/auth/users-store.ts';
import type { Config } from '../../server/config.ts';
import { TokenCipher } from '../../server/crypto/token-cipher.ts';
import { createLogger } from '../../server/log.ts';
import { ModelCatalogue } from '../../server/models/model-catalogue.ts';
import { ModelStore } from '../../server/models/model-store.ts';
import { UsageStore } from '../../server/models/usage-store.ts';
import { type Admin, codes, postGraphQL, signInAdmin } from '../admin/support.ts';
import { backends } from '../db/backends.ts';
import { type OpenAIFixture, startOpenAIFixture } from '../fixtures/openai-fixture.ts';
import { eventually } from '../support/eventually.ts';
import { type Person, signIn } from '../support/people.ts';
import { refusal } from '../support/refusal.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

const TEAM_A = '3f2a9c4e-1b7d-4e8a-9c01-5d6e7f8a9b0c';
const TEAM_B = '8c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f';

const accounts = (ginaGroups: string[]) =>
  JSON.stringify([
    { name: 'Ada Admin', email: 'ada@countersign.dev', role: 'admin' },
    { name: 'Gina Group', email: 'gina@countersign.dev', role: 'user', groups: ginaGroups },
    { name: 'Hugo Other', email: 'hugo@countersign.dev', role: 'user', groups: [TEAM_B] },
  ]);

describe('a model for a group, through the API', () => {
  let main: OpenAIFixture;
  let team: OpenAIFixture;
  let server: TestServer;
  let ada: Admin;
  let gina: Person;
  let hugo: Person;
  let teamModel = '';
  let ginaChat = '';

  async function graphql(query: string, variables: Record<string, unknown> = {}) {
    const answer = await postGraphQL(server.url, query, { headers: { cookie: ada.cookie }, variables });
    expect(answer.body.errors).toBeUndefined();
    return answer.body.data as Record<string, unknown>;
  }

  const offered = async (person: Person) => (await person.client.api.models.list.query()).map((m) => m.name);

  async function groupsOf(email: string): Promise<string[]> {
    const data = await graphql('query($s: String) { users(search: $s) { items { email groups } } }', { s: email });
    return (data.users as { items: { email: string; groups: string[] }[] }).items.find((u) => u.email === email)!.groups;
  }

  /** The answer's catalogue model and text. */
  async function sendAndWait(person: Person, chatId: string, text: string): Promise<string> {
    await person.client.api.chats.send.mutate({ chatId, text });
    let answer = '';
    await eventually(async () => {
      const { history } = await person.client.api.chats.get.query({ chatId });
      const last = history.messages.at(-1);
      answer = last?.role === 'assistant' ? `${last.modelName}: ${last.text}` : '';
      return answer !== '' && history.runState.status === 'idle';
    }, `the answer to "${text}"`);
    return answer;
  }

  beforeAll(async () => {
    main = startOpenAIFixture();
    team = startOpenAIFixture();
    main.fallback({ kind: 'text', text: 'The default answers.' });
    team.fallback({ kind: 'text', text: 'Team A’s model answers.' });
    server = await startTestServer({
      LLM_PROVIDER: 'openai',
      LLM_BASE_URL: main.baseURL,
      LLM_MODEL: 'default-model',
      DEV_ACCOUNTS: accounts([TEAM_A, 'Sales']),
    });
    ada = await signInAdmin(server.url);
    gina = await signIn(server.url, 'gina@countersign.dev');
    hugo = await signIn(server.url, 'hugo@countersign.dev');
    const data = await graphql('mutation($input: ModelInput!) { createModel(input: $input) { id allowedRoles allowedGroups } }', {
      input: { name: 'Team A model', provider: 'OPENAI', baseUrl: team.baseURL, modelId: 'team-model', allowedGroups: [` ${TEAM_A} `] },
    });
    const created = data.createModel as { id: string; allowedRoles: string[]; allowedGroups: string[] };
    expect(created.allowedGroups).toEqual([TEAM_A]);
    expect(created.allowedRoles).toEqual([]);
    teamModel = created.id;
  });

  afterAll(async () => {
    await gina?.client.close();
    await hugo?.client.close();
    await server?.[Symbol.asyncDispose]();
    await main?.stop();
    await team?.stop();
  });

  test('admins see the groups each person’s ID token named at sign-in', async () => {
    expect(await groupsOf('gina@countersign.dev')).toEqual([TEAM_A, 'Sales']);
    expect(await groupsOf('hugo@countersign.dev')).toEqual([TEAM_B]);
    expect(await groupsOf('ada@countersign.dev')).toEqual([]);
  });

  test('a member of the group is offered the model, and it answers her chat', async () => {
    expect(await offered(gina)).toEqual(['default-model', 'Team A model']);
    const chat = await gina.client.api.chats.create.mutate({});
    ginaChat = chat.id;
    expect(await gina.client.api.chats.setModel.mutate({ chatId: chat.id, modelId: teamModel })).toMatchObject({ modelId: teamModel });
    expect(await sendAndWait(gina, chat.id, 'Hello team')).toBe('Team A model: Team A’s model answers.');
    expect(await gina.client.api.models.startingModel.query()).toBe(teamModel);
  });

  test('someone in another group is neither offered the model nor allowed to choose it', async () => {
    expect(await offered(hugo)).toEqual(['default-model']);
    const chat = await hugo.client.api.chats.create.mutate({});
    expect(await refusal(hugo.client.api.chats.setModel.mutate({ chatId: chat.id, modelId: teamModel }))).toEqual({
      code: 'NOT_FOUND',
      message: 'There is no such model for you to choose.',
    });
  });

  test('an admin outside the group gets the model only once the admin role is listed too', async () => {
    expect(await offered(ada)).toEqual(['default-model']);
    await graphql('mutation($id: ID!) { updateModel(id: $id, input: { allowedRoles: [ADMIN] }) { id } }', { id: teamModel });
    expect(await offered(ada)).toEqual(['default-model', 'Team A model']);
    expect(await offered(gina)).toEqual(['default-model', 'Team A model']);
    expect(await offered(hugo)).toEqual(['default-model']);
  });

  test('bad group lists are refused with sentences naming the field', async () => {
    const attempt = async (allowedGroups: string[]) => {
      const answer = await postGraphQL(
        server.url,
        'mutation($id: ID!, $g: [String!]) { updateModel(id: $id, input: { allowedGroups: $g }) { id } }',
        {
          headers: { cookie: ada.cookie },
          variables: { id: teamModel, g: allowedGroups },
        },
      );
      expect(codes(answer)).toEqual(['BAD_USER_INPUT']);
      return answer.body.errors![0]!.message;
    };
    expect(await attempt(Array.from({ length: 51 }, (_, i) => `group-${i}`))).toContain('allowedGroups: may name at most 50 groups');
    expect(await attempt([TEAM_A, '   '])).toContain('allowedGroups.1: must not be empty');
    expect(await attempt(['x'.repeat(201)])).toContain('allowedGroups.0: must be at most 200 characters');
    expect(await attempt([TEAM_A, TEAM_A])).toContain('allowedGroups: names a group twice');
    const stored = await graphql('query($id: ID!) { model(id: $id) { allowedGroups } }', { id: teamModel });
    expect(stored.model).toEqual({ allowedGroups: [TEAM_A] });
  });

  test('taken out of the group, her next sign-in loses her the model and her chat answers with the default', async () => {
    server = await server.restart({ DEV_ACCOUNTS: accounts(['Sales']) });
    // Her session from before still holds: the groups change only at the next sign-in.
    expect(await offered(gina)).toEqual(['default-model', 'Team A model']);
    await gina.client.close();
    gina = await signIn(server.url, 'gina@countersign.dev');
    expect(await groupsOf('gina@countersign.dev')).toEqual(['Sales']);
    expect(await offered(gina)).toEqual(['default-model']);
    expect(await gina.client.api.models.startingModel.query()).toBeNull();
    expect(await sendAndWait(gina, ginaChat, 'Still there?')).toBe('default-model: The default answers.');
  });
});

const llm: Config['llm'] = {
  provider: 'openai',
  baseUrl: 'http://127.0.0.1:9/v1',
  apiKey: undefined,
  model: 'settings-model',
  tokenScope: undefined,
  timeoutMs: 60_000,
  acceptsImages: false,
  turnStartConcurrency: 4,
};

for (const backend of backends) {
  describe(`groups on ${backend.name}`, () => {
    let db: AppDatabase;
    let dispose: () => Promise<void>;
    beforeAll(async () => {
      ({ db, dispose } = await backend.open());
    });
    afterAll(() => dispose());

    test('a person’s groups are those of their latest sign-in, and a model’s groups decide whom it is offered to', async () => {
      const catalogue = new ModelCatalogue(
        new ModelStore(db),
        new TokenCipher(crypto.getRandomValues(Buffer.alloc(32))),
        createLogger('error'),
      );
      const models = new ChatModels({
        db,
        catalogue,
        usage: new UsageStore(db),
        config: { llm, auth: {} as Config['auth'] },
        isConfiguredAdmin: () => false,
        log: createLogger('error'),
      });
      const users = new DrizzleUserStore(db);
      const profile = { issuer: 'https://idp.test', subject: crypto.randomUUID(), tenantId: null, email: 'ida@example.test', name: 'Ida' };
      const ida = await users.upsertOnSignIn({ ...profile, groups: [TEAM_A, TEAM_B] }, new Date());
      expect(ida.groups).toEqual([TEAM_A, TEAM_B]);
      await catalogue.create({ name: 'Everyone’s', provider: 'demo', isDefault: true });
      const forA = await catalogue.create({ name: 'Team A’s', provider: 'demo', allowedGroups: [TEAM_A] });
      expect(forA.allowedGroups).toEqual([TEAM_A]);
      expect((await models.usable(ida.id)).map((m) => m.name)).toEqual(['Everyone’s', 'Team A’s']);

      const again = await users.upsertOnSignIn({ ...profile, groups: [TEAM_B] }, new Date());
      expect(again.id).toBe(ida.id);
      expect((await users.findById(ida.id))?.groups).toEqual([TEAM_B]);
      expect((await models.usable(ida.id)).map((m) => m.name)).toEqual(['Everyone’s']);
      await expect(models.assertUsable(ida.id, forA.id)).rejects.toThrow('There is no such model for you to choose.');

      // A token with no groups claim leaves the person in none.
      await users.upsertOnSignIn(profile, new Date());
      expect((await users.findById(ida.id))?.groups).toEqual([]);
    });
  });
}

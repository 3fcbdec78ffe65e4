/**
 * Sessions ended through one instance close the sockets they opened on another: two AuthServices
 * (as two instances run them) over one PostgreSQL schema, on one control channel, and on the
 * second instance a socket registry wired as trpc/routes.ts wires it. The channel is the
 * in-process one, which delivers to every subscriber as Redis pub/sub does to every instance.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { type AppDatabase, openDatabase } from '../../db/database.ts';
import { ApiTokens } from '../../server/auth/api-tokens.ts';
import { DrizzleApiTokenStore } from '../../server/auth/api-token-store.ts';
import { AuthService } from '../../server/auth/auth-service.ts';
import { Cookies } from '../../server/auth/cookies.ts';
import { DrizzleSessionStore } from '../../server/auth/session-store.ts';
import { Sessions } from '../../server/auth/sessions.ts';
import type { SignInFlow } from '../../server/auth/sign-in-flow.ts';
import { DrizzleUserStore } from '../../server/auth/users-store.ts';
import { LocalControlChannel } from '../../server/cluster/control-channel.ts';
import { createLogger } from '../../server/log.ts';
import { SocketRegistry } from '../../server/trpc/socket-registry.ts';
import { eventually } from '../support/eventually.ts';
import { createTestSchema, type TestSchema } from '../support/services.ts';

let schema: TestSchema;
const databases: AppDatabase[] = [];
const control = new LocalControlChannel();
const cookies = new Cookies(false);

/** One instance's sign-in: its own pool on the shared schema, on the shared control channel. */
async function instance(): Promise<AuthService> {
  const db = await openDatabase({ url: schema.url, schema: schema.schema });
  databases.push(db);
  return new AuthService({
    users: new DrizzleUserStore(db),
    sessions: new Sessions(new DrizzleSessionStore(db), 3_600_000),
    apiTokens: new ApiTokens(new DrizzleApiTokenStore(db)),
    // Signing in through the provider plays no part here: sessions are opened through the store.
    flow: undefined as unknown as SignInFlow,
    cookies,
    admins: [],
    control,
    log: createLogger('error'),
  });
}

beforeAll(async () => {
  schema = await createTestSchema();
});
afterAll(async () => {
  for (const db of databases) await db.close();
  await schema.drop();
});

test('logging out or being disabled through one instance closes those sockets on another, and no others', async () => {
  const [a, b] = [await instance(), await instance()];
  const sessionsOnB = new Sessions(new DrizzleSessionStore(databases[1]!), 3_600_000);
  const users = new DrizzleUserStore(databases[1]!);
  const uma = await users.upsertOnSignIn(
    { issuer: 'https://idp.test', subject: 'uma', tenantId: null, email: 'uma@example.test', name: 'Uma' },
    new Date(),
  );

  // B holds two sockets of Uma's, from her laptop's session and her phone's.
  const registry = new SocketRegistry();
  b.onSessionsEnded(({ userId }) => void registry.revalidate(userId));
  const closed = new Set<string>();
  async function socketOnB(device: string) {
    const token = await sessionsOnB.create(uma.id, device);
    const request = new Request('http://b.test/trpc', { headers: { cookie: `${cookies.sessionName}=${token}` } });
    const user = (await b.authenticate(request))!;
    registry.add({
      user,
      recheck: async () => {
        if (!(await b.authenticate(request))) closed.add(device);
      },
      close: () => closed.add(device),
    });
    return request;
  }
  const laptop = await socketOnB('laptop');
  await socketOnB('phone');

  // Through A: the laptop signs out; only its socket on B closes.
  await a.logout(laptop);
  await eventually(() => closed.has('laptop'), "the laptop's socket on B to close");
  expect(closed).toEqual(new Set(['laptop']));

  // Through A: an admin disables Uma; her phone's socket on B closes too.
  await a.disableUser(uma.id);
  await eventually(() => closed.has('phone'), "the phone's socket on B to close");
});

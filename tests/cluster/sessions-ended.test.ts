/**
 * Sessions ended through one instance close the sockets they opened on another: two AuthServices
 * (as two instances run them) over one PostgreSQL schema, on one control channel, and on the
 * second instance a socket registry wired as trpc/routes.ts wires it. The channel is the
 * in-process one, which delivers to every subscriber as Redis pub/sub does to every instance;
 * the second instance's subscription may drop and come back (InterruptedControlChannel).
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { type AppDatabase, openDatabase } from '../../db/database.ts';
import { ApiTokens } from '../../server/auth/api-tokens.ts';
import { DrizzleApiTokenStore } from '../../server/auth/api-token-store.ts';
import { AuthService } from '../../server/auth/auth-service.ts';
import { Cookies } from '../../server/auth/cookies.ts';
import { DrizzleSessionStore } from '../../server/auth/session-store.ts';
import { Sessions } from '../../server/auth/sessions.ts';
import type { IdentityTokens } from '../../server/auth/identity-tokens.ts';
import type { SignInFlow } from '../../server/auth/sign-in-flow.ts';
import { DrizzleUserStore } from '../../server/auth/users-store.ts';
import { type ControlChannel, LocalControlChannel } from '../../server/cluster/control-channel.ts';
import { createLogger } from '../../server/log.ts';
import { followSessions } from '../../server/trpc/routes.ts';
import { SocketRegistry } from '../../server/trpc/socket-registry.ts';
import { SocketSession } from '../../server/trpc/socket-session.ts';
import { eventually } from '../support/eventually.ts';
import { InterruptedControlChannel } from '../support/interrupted-control-channel.ts';
import { createTestSchema, type TestSchema } from '../support/services.ts';

let schema: TestSchema;
const databases: AppDatabase[] = [];
const control = new LocalControlChannel();
const cookies = new Cookies(false);

/** One instance's sign-in: its own pool on the shared schema, on the shared control channel. */
async function instance(channel: ControlChannel = control): Promise<AuthService> {
  const db = await openDatabase({ url: schema.url, schema: schema.schema });
  databases.push(db);
  return new AuthService({
    users: new DrizzleUserStore(db),
    sessions: new Sessions(new DrizzleSessionStore(db), 3_600_000),
    apiTokens: new ApiTokens(new DrizzleApiTokenStore(db)),
    // Signing in through the provider plays no part here: sessions are opened through the store.
    flow: undefined as unknown as SignInFlow,
    identityTokens: undefined as unknown as IdentityTokens,
    cookies,
    admins: [],
    control: channel,
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
        const live = (await b.authenticate(request)) !== null;
        if (!live) closed.add(device);
        return live;
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

test('sessions ended through another instance while this one was not subscribed close their sockets here once it is back, and no others', async () => {
  const channelOfB = new InterruptedControlChannel(control);
  const [a, b] = [await instance(), await instance(channelOfB)];
  const users = new DrizzleUserStore(databases[1]!);
  const sessionsOnB = new Sessions(new DrizzleSessionStore(databases[1]!), 3_600_000);
  const person = (name: string) =>
    users.upsertOnSignIn({ issuer: 'https://idp.test', subject: name, tenantId: null, email: `${name}@example.test`, name }, new Date());
  const [wes, xena, vic] = [await person('wes'), await person('xena'), await person('vic')];

  // B's sockets, wired as trpc/routes.ts wires them; its handlers go as server.ts lets them go.
  const log = createLogger('error');
  const registry = new SocketRegistry();
  followSessions(b, registry, log);
  const released: string[] = [];
  b.onSessionsEnded(({ userId }) => released.push(userId));
  const closedWith = new Map<string, number>();
  const sessions: SocketSession[] = [];
  async function socketOnB(userId: string) {
    const token = await sessionsOnB.create(userId, 'browser');
    const request = new Request('http://b.test/trpc', { headers: { cookie: `${cookies.sessionName}=${token}` } });
    const user = (await b.authenticate(request))!;
    const session = new SocketSession({
      request,
      user,
      authenticate: (req) => b.authenticate(req),
      validUntil: (u) => b.validUntil(u),
      end: (code) => closedWith.set(userId, code),
      log,
    });
    sessions.push(session);
    registry.add({ user, recheck: () => session.recheck(), close: (code) => closedWith.set(userId, code) });
    return request;
  }
  await socketOnB(wes.id);
  const xenasBrowser = await socketOnB(xena.id);
  await socketOnB(vic.id);

  // B's subscription is down while an admin disables Wes and Xena signs out, both through A: B never hears of it.
  channelOfB.drop();
  await a.disableUser(wes.id);
  await a.logout(xenasBrowser);

  await channelOfB.resubscribe();

  await eventually(() => closedWith.size === 2, 'the sockets of Wes and Xena on B to close');
  expect(closedWith).toEqual(
    new Map([
      [wes.id, 4401],
      [xena.id, 4401],
    ]),
  );
  await eventually(() => released.includes(wes.id) && released.includes(xena.id), 'their handlers on B to be let go');
  expect(released).not.toContain(vic.id);
  for (const session of sessions) session.dispose();
});

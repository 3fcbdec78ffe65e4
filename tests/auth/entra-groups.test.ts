/**
 * The groups an Entra-style ID token names, kept as of the latest sign-in: bounded in number and
 * length, blanks and repeats left out with a log line; Entra ID's groups overage (too many groups
 * to send) leaves the person in none, and says so in the log once per sign-in.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'bun:test';
import { MAX_GROUP_LENGTH, MAX_GROUPS } from '../../server/auth/group-claim.ts';
import { type LogEntry, recordingLogger } from '../agent/support.ts';
import { HttpBrowser, isCallback } from '../support/http-browser.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { type FakeOidcProvider, startFakeOidcProvider } from './fake-oidc-provider.ts';

const CLIENT = { clientId: 'countersign-test', clientSecret: 'test-secret' };

describe('groups from an Entra-style provider', () => {
  let provider: FakeOidcProvider;
  let server: TestServer;
  const logs: LogEntry[] = [];

  async function signIn(): Promise<void> {
    const { response } = await new HttpBrowser().navigate(`${server.url}/auth/login`, {}, isCallback);
    expect(response.status).toBe(302);
  }

  const storedGroups = () =>
    JSON.parse((server.db.sqlite.query('SELECT groups FROM users').get() as { groups: string }).groups) as string[];
  const warnings = () => logs.filter((entry) => entry.level === 'warn');

  beforeAll(async () => {
    provider = await startFakeOidcProvider({ ...CLIENT, tenant: 'tenant-a' });
    server = await startTestServer(
      {
        OIDC_AUTHORITY: provider.url,
        OIDC_CLIENT_ID: CLIENT.clientId,
        OIDC_CLIENT_SECRET: CLIENT.clientSecret,
        ENTRA_TENANT_ID: 'tenant-a',
      },
      { log: recordingLogger(logs) },
    );
  });
  afterAll(async () => {
    await server[Symbol.asyncDispose]();
    await provider[Symbol.asyncDispose]();
  });
  beforeEach(() => {
    logs.length = 0;
  });

  test('the group object ids are kept as the token sends them', async () => {
    provider.claims.groups = ['group-one', 'group-two'];
    await signIn();
    expect(storedGroups()).toEqual(['group-one', 'group-two']);
    expect(warnings()).toEqual([]);
  });

  test('past the bounds, blank, too long and repeated entries are left out, with a log line', async () => {
    const many = Array.from({ length: MAX_GROUPS + 5 }, (_, i) => `group-${i}`);
    provider.claims.groups = ['  ', 'x'.repeat(MAX_GROUP_LENGTH + 1), 'group-0', ...many];
    await signIn();
    expect(storedGroups()).toEqual(many.slice(0, MAX_GROUPS));
    expect(warnings()).toEqual([
      { level: 'warn', msg: 'some of the id_token groups were ignored', fields: { subject: 'oid-pat', ignored: 8, kept: MAX_GROUPS } },
    ]);
  });

  test('a groups overage leaves the person in no group, logged once for the sign-in', async () => {
    provider.claims.groups = undefined;
    provider.claims._claim_names = { groups: 'src1' };
    await signIn();
    expect(storedGroups()).toEqual([]);
    expect(warnings().map((entry) => entry.msg)).toEqual([
      'the id_token names no groups: the person is in too many (groups overage), so they count as in none',
    ]);
  });
});

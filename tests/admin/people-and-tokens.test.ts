/** Users (search, paging, role, sessions, no self-lockout), service tokens (issue once, use, revoke) and the audit log's filters. */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { AdminRequestError } from '../../admin/src/api/client.ts';
import {
  ApiTokensQuery,
  AuditLogQuery,
  EndUserSessions,
  IssueApiToken,
  MeQuery,
  RevokeApiToken,
  SetUserDisabled,
  SetUserRole,
  UsersQuery,
} from '../../admin/src/api/operations.ts';
import { AuditStore } from '../../server/audit/audit-store.ts';
import { signIn, type Person } from '../support/people.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { type Admin, codes, postGraphQL, signInAdmin } from './support.ts';

let server: TestServer;
let ada: Admin;
let uma: Person;
let ids: { ada: string; uma: string };

beforeAll(async () => {
  server = await startTestServer();
  ada = await signInAdmin(server.url);
  uma = await signIn(server.url, 'uma@countersign.dev');
  await signIn(server.url, 'ulf@countersign.dev');
  const idOf = async (search: string) => (await ada.admin(UsersQuery, { search })).users.items[0]!.id;
  ids = { ada: await idOf('ada@'), uma: await idOf('uma@') };
});
afterAll(async () => {
  await server[Symbol.asyncDispose]();
});

async function codeOf(call: Promise<unknown>): Promise<string | undefined> {
  return call.then(
    () => 'succeeded',
    (error: unknown) => (error instanceof AdminRequestError ? error.code : String(error)),
  );
}

describe('users', () => {
  test('search matches name or email, literally; pages are sliced and counted', async () => {
    const all = (await ada.admin(UsersQuery, {})).users;
    expect(all.totalCount).toBe(3);
    expect((await ada.admin(UsersQuery, { search: 'ULF' })).users.items.map((u) => u.email)).toEqual(['ulf@countersign.dev']);
    expect((await ada.admin(UsersQuery, { search: '%' })).users.totalCount).toBe(0);
    const second = (await ada.admin(UsersQuery, { limit: 1, offset: 1 })).users;
    expect(second).toMatchObject({ totalCount: 3, limit: 1, offset: 1, items: [{ id: all.items[1]!.id }] });
    expect(all.items.find((u) => u.id === ids.ada)).toMatchObject({
      configuredAdmin: true,
      disabled: false,
      sessions: [expect.any(Object)],
    });
  });

  test('an admin cannot disable themselves or drop their own admin role', async () => {
    expect(await codeOf(ada.admin(SetUserDisabled, { id: ids.ada, disabled: true }))).toBe('BAD_USER_INPUT');
    expect(await codeOf(ada.admin(SetUserRole, { id: ids.ada, role: 'USER' }))).toBe('BAD_USER_INPUT');
    expect(await codeOf(ada.admin(SetUserDisabled, { id: 'no-such-user', disabled: true }))).toBe('NOT_FOUND');
  });

  test('a new role applies from the next sign-in: the old sessions end', async () => {
    const { setUserRole } = await ada.admin(SetUserRole, { id: ids.uma, role: 'ADMIN' });
    expect(setUserRole).toMatchObject({ role: 'ADMIN', sessions: [] });
    expect(codes(await postGraphQL(server.url, '{ servers { id } }', { headers: { cookie: uma.cookie } }))).toEqual(['UNAUTHENTICATED']);
    const again = await signInAdmin(server.url, 'uma@countersign.dev');
    expect((await again.admin(MeQuery)).me?.role).toBe('ADMIN');
    await ada.admin(SetUserRole, { id: ids.uma, role: 'USER' });
    expect(codes(await postGraphQL(server.url, '{ servers { id } }', { headers: { cookie: again.cookie } }))).toEqual(['UNAUTHENTICATED']);
  });

  test('ending a user’s sessions signs them out everywhere', async () => {
    const umaNow = await signIn(server.url, 'uma@countersign.dev');
    expect((await umaNow.client.api.auth.me.query()).email).toBe('uma@countersign.dev');
    const { endUserSessions } = await ada.admin(EndUserSessions, { id: ids.uma });
    expect(endUserSessions.sessions).toEqual([]);
    await expect(umaNow.client.api.auth.me.query()).rejects.toThrow();
    await umaNow.client.close();
  });
});

describe('service tokens', () => {
  test('issued once, usable as the service account, listed without the secret, refused once revoked', async () => {
    const { issueApiToken } = await ada.admin(IssueApiToken, {
      input: { label: 'Reporting', serviceAccountName: 'reporting', expiresInDays: 30 },
    });
    const { token, apiToken } = issueApiToken;
    expect(token).toMatch(/^cs_[A-Za-z0-9_-]{43}$/);
    expect(apiToken).toMatchObject({
      label: 'Reporting',
      status: 'ACTIVE',
      user: { name: 'reporting' },
      createdBy: { email: 'ada@countersign.dev' },
    });
    expect(apiToken.expiresAt).not.toBeNull();

    const me = await fetch(`${server.url}/trpc/auth.me`, { headers: { authorization: `Bearer ${token}` } });
    expect(((await me.json()) as { result: { data: { name: string } } }).result.data.name).toBe('reporting');

    const listed = await postGraphQL(server.url, '{ apiTokens { id label status } }', { headers: { cookie: ada.cookie } });
    expect(listed.text).toContain(apiToken.id);
    expect(listed.text).not.toContain(token.slice(3));

    expect((await ada.admin(RevokeApiToken, { id: apiToken.id })).revokeApiToken.status).toBe('REVOKED');
    const refused = await fetch(`${server.url}/trpc/auth.me`, { headers: { authorization: `Bearer ${token}` } });
    expect(refused.status).toBe(401);
    expect((await ada.admin(ApiTokensQuery, {})).apiTokens.some((t) => t.id === apiToken.id)).toBe(false);
    expect((await ada.admin(ApiTokensQuery, { includeRevoked: true })).apiTokens.find((t) => t.id === apiToken.id)?.status).toBe('REVOKED');
  });

  test('issuing needs exactly one account, a label and a sane expiry', async () => {
    const bad = [
      { label: 'x', userId: ids.uma, serviceAccountName: 'both' },
      { label: 'x' },
      { label: '', serviceAccountName: 'svc' },
      { label: 'x', serviceAccountName: 'svc', expiresInDays: 0 },
      { label: 'x', userId: 'no-such-user' },
    ];
    const results = await Promise.all(bad.map((input) => codeOf(ada.admin(IssueApiToken, { input }))));
    expect(results).toEqual(['BAD_USER_INPUT', 'BAD_USER_INPUT', 'BAD_USER_INPUT', 'BAD_USER_INPUT', 'NOT_FOUND']);
  });
});

describe('audit log', () => {
  test('filters by user, server, tool, decision and time; pages newest first', async () => {
    // Uma's earlier sessions were ended above: a new sign-in makes the chat the rows belong to.
    const umaAgain = await signIn(server.url, 'uma@countersign.dev');
    const chat = await umaAgain.client.api.chats.create.mutate({});
    await umaAgain.client.close();
    const audit = new AuditStore(server.db);
    const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 12, minute));
    const rows = [
      { tool: 'notes_create', decision: 'approved', minute: 1 },
      { tool: 'notes_create', decision: 'rejected', minute: 2 },
      { tool: 'calculate', decision: 'auto', minute: 3 },
      { tool: 'notes_delete', decision: 'denied', minute: 4 },
    ] as const;
    for (const [i, row] of rows.entries()) {
      await audit.recordDecision({
        userId: ids.uma,
        chatId: chat.id,
        serverId: 'countersign-internal',
        serverName: 'Countersign',
        tool: row.tool,
        toolCallId: `call-${i}`,
        arguments: { n: i },
        decision: row.decision,
        decidedBy: row.decision === 'auto' ? 'policy' : ids.uma,
        reason: null,
        requestedAt: at(row.minute),
        decidedAt: at(row.minute),
      });
    }
    const page = async (filter: Record<string, unknown>, limit = 50, offset = 0) =>
      (await ada.admin(AuditLogQuery, { filter, limit, offset })).auditLog;

    expect((await page({})).items.map((e) => e.toolCallId)).toEqual(['call-3', 'call-2', 'call-1', 'call-0']);
    expect((await page({ tool: 'notes_create' })).totalCount).toBe(2);
    expect((await page({ decision: 'AUTO' })).items).toMatchObject([
      { tool: 'calculate', decidedBy: 'policy', user: { email: 'uma@countersign.dev' } },
    ]);
    expect((await page({ userId: ids.ada })).totalCount).toBe(0);
    expect(
      (await page({ serverId: 'countersign-internal', from: at(2).toISOString(), to: at(4).toISOString() })).items.map((e) => e.tool),
    ).toEqual(['calculate', 'notes_create']);
    expect(await page({}, 2, 2)).toMatchObject({
      totalCount: 4,
      limit: 2,
      offset: 2,
      items: [{ toolCallId: 'call-1' }, { toolCallId: 'call-0', arguments: { n: 0 } }],
    });
  });
});

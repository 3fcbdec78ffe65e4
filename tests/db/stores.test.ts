/**
 * Every store, as its callers rely on it, on SQLite and on PostgreSQL: the same cases against
 * both, so a query that only one dialect understands, or answers differently, fails here.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import type { AppDatabase } from '../../db/database.ts';
import { AdminApiTokenStore } from '../../server/admin/stores/api-tokens.ts';
import { AdminAuditStore } from '../../server/admin/stores/audit.ts';
import { AdminUserStore } from '../../server/admin/stores/users.ts';
import { DatabaseChatSettings } from '../../server/agent/chat-settings.ts';
import { PreferenceStore } from '../../server/agent/preference-store.ts';
import { type AuditDecision, AuditStore } from '../../server/audit/audit-store.ts';
import { DrizzleApiTokenStore } from '../../server/auth/api-token-store.ts';
import { DrizzleSessionStore } from '../../server/auth/session-store.ts';
import { Sessions } from '../../server/auth/sessions.ts';
import { DrizzleUserStore } from '../../server/auth/users-store.ts';
import { ChatStore } from '../../server/chats/chat-store.ts';
import { NotesStore } from '../../server/mcp-server/notes-store.ts';
import { CatalogueStore } from '../../server/mcp/catalogue-store.ts';
import { ConnectionStore } from '../../server/mcp/connection-store.ts';
import { randomBytes } from 'node:crypto';
import { IdentityTokenStore } from '../../server/auth/identity-token-store.ts';
import { TokenCipher } from '../../server/crypto/token-cipher.ts';
import { AuthorisationStore } from '../../server/mcp/oauth/authorisation-store.ts';
import { FlowStore } from '../../server/mcp/oauth/flow-store.ts';
import { RegisteredClientStore } from '../../server/mcp/oauth/registered-client-store.ts';
import { eventually } from '../support/eventually.ts';
import { backends } from './backends.ts';

for (const backend of backends) {
  describe(`stores on ${backend.name}`, () => {
    let db: AppDatabase;
    let dispose: () => Promise<void>;
    beforeAll(async () => {
      ({ db, dispose } = await backend.open());
    });
    afterAll(() => dispose());

    const person = async (name: string, email: string | null = `${name.toLowerCase()}@example.test`) =>
      (
        await new DrizzleUserStore(db).upsertOnSignIn(
          { issuer: 'https://idp.test', subject: `${name}-${crypto.randomUUID()}`, tenantId: null, email, name },
          new Date(),
        )
      ).id;
    const server = async (name = `srv-${crypto.randomUUID()}`) =>
      (await new CatalogueStore(db).insert(name, { name, transport: 'streamable-http', url: 'http://127.0.0.1/mcp' })).id;

    describe('users', () => {
      test('sign-in creates a person once and refreshes their profile afterwards', async () => {
        const users = new DrizzleUserStore(db);
        const profile = {
          issuer: 'https://idp.test',
          subject: `s-${crypto.randomUUID()}`,
          tenantId: 't',
          email: 'old@x.test',
          name: 'Old',
        };
        const first = await users.upsertOnSignIn(profile, new Date(1_000));
        const again = await users.upsertOnSignIn({ ...profile, email: 'new@x.test', name: 'New' }, new Date(2_000));
        expect(again).toEqual({ ...first, email: 'new@x.test', name: 'New', lastSignInAt: new Date(2_000) });
        expect(first).toMatchObject({ role: 'user', disabled: false });
        expect(await users.findByIdentity(profile.issuer, profile.subject)).toEqual(again);
        expect(await users.setDisabled(first.id, true)).toBe(true);
        expect(await users.setRole(first.id, 'admin')).toBe(true);
        expect(await users.findById(first.id)).toMatchObject({ disabled: true, role: 'admin' });
        expect(await users.setDisabled('nobody', true)).toBe(false);
      });
    });

    describe('sessions', () => {
      test('ending all sessions of a person ends theirs only; a session slides, then expires', async () => {
        const userId = await person('Sam');
        const other = await person('Olga');
        let now = 1_000_000;
        const sessions = new Sessions(new DrizzleSessionStore(db), 1000, () => now);
        const ended = await sessions.create(userId, 'agent');
        const token = await sessions.create(other, null);
        const store = new DrizzleSessionStore(db);
        await store.insert({ tokenHash: `h-${userId}`, userId, expiresAt: new Date(now + 10_000), userAgent: null });
        expect(await store.deleteAllFor(userId)).toHaveLength(2);
        expect(await store.delete(`h-${userId}`)).toBe(false);
        expect(await sessions.validate(ended)).toBeNull();

        now += 600;
        expect(await sessions.validate(token)).toMatchObject({ userId: other, expiresAt: new Date(1_001_600) });
        now = 1_001_600;
        expect(await sessions.validate(token)).toBeNull();
      });
    });

    describe('api tokens', () => {
      test('only usable tokens authenticate; revoking names the owner once; admins see each token’s state', async () => {
        const owner = await person('Service');
        const admin = await person('Admin');
        const tokens = new DrizzleApiTokenStore(db);
        const now = new Date('2026-01-01T00:00:00.000Z');
        const live = await tokens.insert({ tokenHash: `live-${owner}`, userId: owner, label: 'live', createdBy: admin });
        const expired = await tokens.insert({
          tokenHash: `old-${owner}`,
          userId: owner,
          label: 'old',
          expiresAt: new Date(now.getTime() - 1),
        });
        expect(await tokens.findUsable(`live-${owner}`, now)).toEqual({ id: live.id, userId: owner, lastUsedAt: null, expiresAt: null });
        expect(await tokens.findUsable(`old-${owner}`, now)).toBeUndefined();
        await tokens.markUsed(live.id, now);
        expect((await tokens.findUsable(`live-${owner}`, now))?.lastUsedAt).toEqual(now);

        const admins = new AdminApiTokenStore(db, () => now.getTime());
        expect(await admins.get(live.id)).toMatchObject({ status: 'active', createdBy: { id: admin }, user: { id: owner } });
        expect(await admins.get(expired.id)).toMatchObject({ status: 'expired', createdBy: null });

        expect(await tokens.revoke(live.id, now)).toEqual({ userId: owner });
        expect(await tokens.revoke(live.id, now)).toBeUndefined();
        expect(await tokens.findUsable(`live-${owner}`, now)).toBeUndefined();
        const listed = (await admins.list(false)).map((t) => t.id);
        expect(listed).toContain(expired.id);
        expect(listed).not.toContain(live.id);
        expect((await admins.list(true)).find((t) => t.id === live.id)?.status).toBe('revoked');
      });
    });

    describe('chats', () => {
      test('another person’s chat is indistinguishable from none', async () => {
        const chats = new ChatStore(db);
        const owner = await person('Owner');
        const stranger = await person('Stranger');
        const chat = await chats.create(owner, { title: 'Mine', enabledServers: ['a'] });
        expect(await chats.get(owner, chat.id)).toEqual(chat);
        expect(await chats.get(stranger, chat.id)).toBeUndefined();
        expect(await chats.update(stranger, chat.id, { title: 'Taken' })).toBeUndefined();
        expect(await chats.softDelete(stranger, chat.id)).toBeUndefined();
        expect((await chats.list(stranger, { limit: 10 }))?.items).toEqual([]);
        expect((await chats.get(owner, chat.id))?.title).toBe('Mine');
      });

      test('pages newest first, each chat exactly once; touching moves a chat to the top', async () => {
        const chats = new ChatStore(db);
        const owner = await person('Pager');
        const created = [];
        for (let i = 0; i < 7; i++) created.push(await chats.create(owner, { title: `Chat ${i}` }));
        const seen: string[] = [];
        let cursor: string | undefined;
        do {
          const page = await chats.list(owner, { limit: 3, cursor });
          if (!page) throw new Error('a cursor the store returned was refused');
          seen.push(...page.items.map((c) => c.id));
          cursor = page.nextCursor ?? undefined;
        } while (cursor);
        expect(seen.sort()).toEqual(created.map((c) => c.id).sort());

        const listed = (await chats.list(owner, { limit: 7 }))!.items;
        const [newest, oldest] = [listed[0]!, listed.at(-1)!];
        await eventually(() => Date.now() > newest.updatedAt.getTime(), 'a later millisecond than the newest chat');
        await chats.touch(oldest.id);
        expect((await chats.list(owner, { limit: 1 }))?.items[0]?.id).toBe(oldest.id);
        expect(await chats.list(owner, { limit: 1, cursor: 'not a cursor' })).toBeNull();
      });

      test('search ignores case and matches % and _ literally', async () => {
        const chats = new ChatStore(db);
        const owner = await person('Searcher');
        await chats.create(owner, { title: 'Budget 50% Cut' });
        await chats.create(owner, { title: 'Budget 500 cut' });
        await chats.create(owner, { title: 'snake_case names' });
        await chats.create(owner, { title: 'snakeXcase names' });
        const titles = async (search: string) => (await chats.list(owner, { limit: 10, search }))!.items.map((c) => c.title).sort();
        expect(await titles('50%')).toEqual(['Budget 50% Cut']);
        expect(await titles('budget')).toEqual(['Budget 50% Cut', 'Budget 500 cut']);
        expect(await titles('E_C')).toEqual(['snake_case names']);
      });

      test('soft delete hides a chat from its owner; a server leaving the catalogue leaves every chat', async () => {
        const chats = new ChatStore(db);
        const owner = await person('Deleter');
        const gone = await chats.create(owner, { title: 'Gone' });
        const kept = await chats.create(owner, { title: 'Kept', enabledServers: ['srv-x', 'srv-y'] });
        const other = await chats.create(owner, { title: 'Other', enabledServers: ['srv-y'] });
        expect((await chats.softDelete(owner, gone.id))?.deletedAt).toBeInstanceOf(Date);
        expect(await chats.get(owner, gone.id)).toBeUndefined();
        expect((await chats.list(owner, { limit: 10 }))!.items.map((c) => c.title).sort()).toEqual(['Kept', 'Other']);

        await chats.removeServerEverywhere('srv-x');
        expect((await chats.get(owner, kept.id))?.enabledServers).toEqual(['srv-y']);
        expect((await chats.get(owner, other.id))?.enabledServers).toEqual(['srv-y']);
        expect((await chats.update(owner, kept.id, { alwaysAllowed: ['tool_a'] }))?.alwaysAllowed).toEqual(['tool_a']);
      });

      test('roots: each server’s choice is set in place, so concurrent choices are all kept; only chats that offer some, not deleted, are listed', async () => {
        const chats = new ChatStore(db);
        const owner = await person('Rooter');
        const chat = await chats.create(owner, {});
        const quiet = await chats.create(owner, {});
        const gone = await chats.create(owner, {});
        await Promise.all([
          chats.setRoots(owner, chat.id, 'srv-a', ['file:///srv/a', 'file:///srv/b']),
          chats.setRoots(owner, chat.id, 'srv-b', ['file:///srv/c']),
          chats.setRoots(owner, gone.id, 'srv-a', ['file:///srv/gone']),
        ]);
        expect((await chats.setRoots(owner, chat.id, 'srv-b', []))?.roots).toEqual({
          'srv-a': ['file:///srv/a', 'file:///srv/b'],
          'srv-b': [],
        });
        expect(await chats.setRoots(await person('Stranger'), chat.id, 'srv-a', [])).toBeUndefined();
        await chats.softDelete(owner, gone.id);
        expect(await chats.rootsOfOwner(owner)).toEqual([{ 'srv-a': ['file:///srv/a', 'file:///srv/b'], 'srv-b': [] }]);
        expect((await chats.get(owner, quiet.id))?.roots).toEqual({});
      });

      test('a turn sees its chat’s enabled, still enabled servers and the person’s own stricter settings', async () => {
        const owner = await person('Turner');
        const on = await server();
        const off = await server();
        await new CatalogueStore(db).update(off, { enabled: false });
        const chat = await new ChatStore(db).create(owner, { enabledServers: [on, off] });
        await new PreferenceStore(db).set(owner, on, 'write', 'deny');
        const context = await new DatabaseChatSettings(db).turnContext(owner, chat.threadId);
        expect(context).toMatchObject({ chatId: chat.id, enabledServers: [on, off], personal: { [`${on}\u0000write`]: 'deny' } });
        expect(Object.keys(context?.servers ?? {})).toEqual([on]);
        expect(await new DatabaseChatSettings(db).turnContext(await person('Nobody'), chat.threadId)).toBeUndefined();
      });
    });

    describe('preferences', () => {
      test('a setting is stored, replaced, and removed', async () => {
        const owner = await person('Prefs');
        const srv = await server();
        const prefs = new PreferenceStore(db);
        await prefs.set(owner, srv, 'tool', 'ask');
        await prefs.set(owner, srv, 'tool', 'deny');
        await prefs.set(owner, srv, 'other', 'ask');
        expect([...(await prefs.forUser(owner)).values()].sort()).toEqual(['ask', 'deny']);
        await prefs.set(owner, srv, 'tool', null);
        expect([...(await prefs.forUser(owner)).values()]).toEqual(['ask']);
      });
    });

    describe('catalogue and connections', () => {
      test('the first listing pins, concurrent approvals of two tools both stay, deleting a server drops its connections', async () => {
        const catalogue = new CatalogueStore(db);
        const srv = await server();
        const firsts = await Promise.all([1, 2, 3, 4].map((n) => catalogue.pinFirstSight(srv, { tool: `hash-${n}` })));
        expect(new Set(firsts.map((pins) => pins.tool)).size).toBe(1);
        await Promise.all([catalogue.pin(srv, 'a "quoted" tool', 'ha'), catalogue.pin(srv, 'b.tool', 'hb')]);
        expect((await catalogue.get(srv))?.pinnedTools).toEqual({ ...firsts[0], 'a "quoted" tool': 'ha', 'b.tool': 'hb' });
        await catalogue.clearPins(srv);
        expect(await catalogue.pinFirstSight(srv, { fresh: 'h' })).toEqual({ fresh: 'h' });

        const owner = await person('Connector');
        const connections = new ConnectionStore(db);
        await connections.remember(owner, srv);
        await connections.recordError(owner, srv, 'refused');
        expect((await connections.listForUser(owner)).map((c) => c.lastError)).toEqual(['refused']);
        await connections.remember(owner, srv);
        expect((await connections.listForUser(owner)).map((c) => c.lastError)).toEqual([null]);
        expect(await new AdminUserStore(db).connectedUsers(srv)).toBe(1);
        expect(await catalogue.delete(srv)).toBe(true);
        expect(await connections.listForUser(owner)).toEqual([]);
        expect(await catalogue.delete(srv)).toBe(false);
      });
    });

    describe('audit', () => {
      test('the first decision stands, a tool call is claimed exactly once under concurrency, and admins filter the log', async () => {
        const audit = new AuditStore(db);
        const userId = await person('Auditee');
        const chat = await new ChatStore(db).create(userId, {});
        const decision = (toolCallId: string, decision: AuditDecision['decision']): AuditDecision => ({
          userId,
          chatId: chat.id,
          serverId: null,
          serverName: 'Notes',
          tool: 'create_note',
          toolCallId,
          arguments: { title: 'x', tags: ['a'] },
          decision,
          decidedBy: userId,
          reason: null,
          requestedAt: new Date(),
          decidedAt: new Date(),
        });
        const callId = `call-${crypto.randomUUID()}`;
        await audit.recordDecision(decision(callId, 'approved'));
        await audit.recordDecision(decision(callId, 'rejected'));
        const claims = await Promise.all(Array.from({ length: 20 }, () => audit.claimStart(callId, new Date())));
        expect(claims.filter(Boolean)).toHaveLength(1);
        await audit.recordFinish(callId, { outcome: 'ok', error: null, at: new Date() });
        await audit.recordInterrupted(callId);
        const [row] = await audit.listForChat(chat.id);
        expect(row).toMatchObject({ decision: 'approved', outcome: 'ok', arguments: { title: 'x', tags: ['a'] } });

        const second = `call-${crypto.randomUUID()}`;
        await audit.recordDecision(decision(second, 'rejected'));
        await audit.recordInterrupted(second);
        const admin = new AdminAuditStore(db);
        const rejected = await admin.list({ userId, decision: 'rejected' }, 10, 0);
        expect(rejected.totalCount).toBe(1);
        expect(rejected.items[0]).toMatchObject({ toolCallId: second, outcome: 'interrupted', user: { id: userId, name: 'Auditee' } });
        expect((await admin.list({ userId }, 1, 1)).items).toHaveLength(1);
      });
    });

    describe('notes', () => {
      test('search ignores case and matches % literally; nobody reaches another person’s notes', async () => {
        const notes = new NotesStore(db);
        const owner = await person('Noter');
        const stranger = await person('Peeker');
        const note = await notes.create(owner, 'Groceries', 'Milk 100% organic');
        await notes.create(owner, 'Plans', 'nothing');
        expect((await notes.search(owner, 'GROCER', 10)).map((n) => n.id)).toEqual([note.id]);
        expect((await notes.search(owner, '0%', 10)).map((n) => n.id)).toEqual([note.id]);
        expect(await notes.search(owner, '1_0', 10)).toEqual([]);
        expect(await notes.search(stranger, 'groc', 10)).toEqual([]);
        expect(await notes.delete(stranger, note.id)).toBe(false);
        expect((await notes.list(owner, 1)).length).toBe(1);
        expect(await notes.delete(owner, note.id)).toBe(true);
      });
    });

    describe('admin users', () => {
      test('search by name or email ignores case and matches % and _ literally; counts and pages agree', async () => {
        const admin = new AdminUserStore(db);
        const tag = crypto.randomUUID().slice(0, 8);
        await person(`Zed_${tag}`, `zed.${tag}@example.test`);
        await person(`ZedX${tag}`, `zedx.${tag}@example.test`);
        await person(`Percy ${tag}`, `100%.${tag}@example.test`);
        const matching = await admin.list(`zed_${tag.toUpperCase()}`, 10, 0);
        expect(matching.items.map((u) => u.name)).toEqual([`Zed_${tag}`]);
        expect((await admin.list(`%.${tag}`, 10, 0)).items.map((u) => u.name)).toEqual([`Percy ${tag}`]);
        const all = await admin.list(tag, 2, 0);
        expect(all.totalCount).toBe(3);
        expect(all.items).toHaveLength(2);
        expect((await admin.list(tag, 2, 2)).items).toHaveLength(1);
      });

      test('a person’s live sessions without hashes; a service account is created once', async () => {
        const admin = new AdminUserStore(db);
        const userId = await person('Viewed');
        const store = new DrizzleSessionStore(db);
        await store.insert({ tokenHash: `live-${userId}`, userId, expiresAt: new Date(Date.now() + 60_000), userAgent: 'ua' });
        await store.insert({ tokenHash: `dead-${userId}`, userId, expiresAt: new Date(Date.now() - 1), userAgent: 'old' });
        expect(await admin.sessionsOf(userId, new Date())).toEqual([expect.objectContaining({ userAgent: 'ua' })]);
        expect(Object.keys((await admin.sessionsOf(userId, new Date()))[0]!)).not.toContain('tokenHash');
        const first = await admin.serviceAccount(' Billing ');
        expect(await admin.serviceAccount('billing')).toEqual(first);
        expect(await admin.get(first.id)).toEqual(first);
      });
    });

    describe('MCP OAuth', () => {
      const cipher = new TokenCipher(randomBytes(32));
      const tokens = { access_token: 'at-1', refresh_token: 'rt-1', token_type: 'Bearer', expires_in: 3600, scope: 'mcp:tools' };

      test("a person's tokens per server: saved sealed, replaced, listed without tokens, and gone with a revocation", async () => {
        const store = new AuthorisationStore(db, cipher);
        const [ada, bob, srv] = await Promise.all([person('Ada'), person('Bob'), server()]);
        await store.save(ada, srv, 'https://as.test', tokens);
        await store.save(ada, srv, 'https://as.test', { ...tokens, access_token: 'at-2' });
        await store.save(bob, srv, 'https://as.test', { ...tokens, access_token: 'bob-at' });
        expect(await store.get(ada, srv)).toMatchObject({
          issuer: 'https://as.test',
          tokens: { access_token: 'at-2', refresh_token: 'rt-1' },
        });
        expect((await store.get(ada, srv))!.expiresAt!.getTime()).toBeGreaterThan(Date.now());
        expect(await store.has(bob, srv)).toBe(true);
        const listed = await store.listForServer(srv);
        expect(listed.map((row) => row.userId).sort()).toEqual([ada, bob].sort());
        expect(JSON.stringify(listed)).not.toContain('at-2');
        expect(await store.listForUser(ada)).toEqual([expect.objectContaining({ serverId: srv, scope: 'mcp:tools' })]);
        expect(await store.delete(ada, srv)).toBe(true);
        expect(await store.delete(ada, srv)).toBe(false);
        expect(await store.deleteForServer(srv)).toBe(1);
        expect(await store.has(bob, srv)).toBe(false);
      });

      test('registered clients per server and issuer, and sign-ins in flight taken once', async () => {
        const clients = new RegisteredClientStore(db, cipher);
        const flows = new FlowStore(db, cipher);
        const [ada, srv] = await Promise.all([person('Cy'), server()]);
        await clients.save(srv, 'https://as.test', { client_id: 'c1' });
        await clients.save(srv, 'https://as.test', { client_id: 'c2', client_secret: 's2' });
        await clients.save(srv, 'https://other.test', { client_id: 'o1' });
        expect(await clients.get(srv, 'https://as.test')).toEqual({ client_id: 'c2', client_secret: 's2' });
        await clients.delete(srv, 'https://other.test');
        expect(await clients.get(srv, 'https://other.test')).toBeUndefined();

        const flow = {
          userId: ada,
          serverId: srv,
          codeVerifier: 'v',
          discovery: undefined,
          authorizationUrl: 'https://as.test/a',
          scope: 'mcp:tools',
          returnTo: '/',
        };
        await flows.save({ ...flow, state: 'older' });
        await flows.save({ ...flow, state: 'newer', returnTo: '/c/1' });
        expect((await flows.latest(ada, srv))?.state).toBe('newer');
        expect(await flows.take('older')).toMatchObject({ userId: ada, codeVerifier: 'v', returnTo: '/' });
        expect(await flows.take('older')).toBeUndefined();
      });

      test('sign-in tokens kept for on-behalf-of: sealed per person, replaced, forgotten', async () => {
        const store = new IdentityTokenStore(db, cipher);
        const ada = await person('Di');
        const expiresAt = new Date(Date.now() + 60_000);
        await store.save(ada, { accessToken: 'a1', refreshToken: 'r1', expiresAt });
        await store.save(ada, { accessToken: 'a2', refreshToken: null, expiresAt });
        expect(await store.get(ada)).toEqual({ accessToken: 'a2', refreshToken: null, expiresAt });
        await store.delete(ada);
        expect(await store.get(ada)).toBeUndefined();
      });
    });
  });
}

/**
 * Catalogue entries and how they authorise: each auth mode's required fields are checked when an
 * admin saves the entry, the client secret is sealed before it is stored and kept when an update
 * leaves it out, and moving a server elsewhere forgets everyone's tokens for it.
 *
 * Client credentials end to end are not covered here: the test authorisation server
 * (tests/support/oauth-authorization-server.ts) does not issue client_credentials tokens, and the
 * protected MCP server accepts only tokens that name a person.
 */
import { afterEach, beforeEach, describe, expect, test } from 'bun:test';
import { type SqliteAppDatabase, openSqliteDatabase } from '../../db/database.ts';
import { LocalControlChannel } from '../../server/cluster/control-channel.ts';
import { createLogger } from '../../server/log.ts';
import type { CatalogueInput, CatalogueService } from '../../server/mcp/catalogue.ts';
import { clientSecretContext } from '../../server/mcp/oauth/client-secret.ts';
import type { ServerAuth } from '../../server/mcp/oauth/server-auth.ts';
import { catalogueService, createUser, testServerAuth } from './support.ts';

const ISSUER = 'https://login.tracker.example';
const SECRET = 'admin-entered-client-secret';
const TRACKER: CatalogueInput = { name: 'Tracker', transport: 'streamable-http', url: 'https://tracker.example/mcp', authMode: 'oauth' };

let db: SqliteAppDatabase;
let auth: ServerAuth;
let catalogue: CatalogueService;

beforeEach(() => {
  db = openSqliteDatabase(':memory:');
  auth = testServerAuth(db);
  catalogue = catalogueService(db, new LocalControlChannel(), createLogger('error'), auth);
});
afterEach(() => db.close());

function storedSecret(serverId: string): string | null {
  const row = db.sqlite.query('SELECT oauth_client_secret AS secret FROM mcp_servers WHERE id = ?').get(serverId) as {
    secret: string | null;
  };
  return row.secret;
}

function rowsFor(table: 'mcp_authorisations' | 'mcp_oauth_clients', serverId: string): number {
  return (db.sqlite.query(`SELECT count(*) AS n FROM ${table} WHERE server_id = ?`).get(serverId) as { n: number }).n;
}

/** A person's tokens for the server, and Countersign's registration at its authorisation server, as a sign-in leaves them. */
async function signedIn(userId: string, serverId: string): Promise<void> {
  await auth.deps.authorisations.save(userId, serverId, ISSUER, {
    access_token: `at-${userId}`,
    token_type: 'Bearer',
    refresh_token: 'rt',
  });
  await auth.deps.clients.save(serverId, ISSUER, { client_id: 'registered' });
}

describe('catalogue validation of auth modes', () => {
  test('oauth on a stdio server is refused, naming authMode', async () => {
    await expect(catalogue.create({ name: 'Local', transport: 'stdio', command: 'server', authMode: 'oauth' })).rejects.toThrow(
      'authMode: oauth is for servers reached over HTTP',
    );
  });

  test('client credentials without a secret are refused, naming the secret', async () => {
    await expect(catalogue.create({ ...TRACKER, authMode: 'client-credentials', oauthClientId: 'countersign' })).rejects.toThrow(
      /^oauthClientSecret: client credentials need a client id and a client secret/,
    );
  });

  test('a secret Authorization header beside oauth is refused: oauth sets it', async () => {
    await expect(catalogue.create({ ...TRACKER, secretHeaders: { Authorization: 'env:TRACKER_TOKEN' } })).rejects.toThrow(
      'secretHeaders.Authorization: oauth sets Authorization itself; remove this header',
    );
  });

  test('an authorisation server named without the client it registers is refused, naming the issuer', async () => {
    await expect(catalogue.create({ ...TRACKER, oauthIssuer: 'https://login.example.test' })).rejects.toThrow(
      /^oauthIssuer: names where a pre-registered client belongs/,
    );
    await expect(catalogue.create({ ...TRACKER, oauthClientId: 'countersign', oauthIssuer: 'javascript:alert(1)' })).rejects.toThrow(
      /^oauthIssuer: must be the https URL/,
    );
  });

  test('on-behalf-of without scopes is refused, naming the scopes', async () => {
    await expect(catalogue.create({ ...TRACKER, authMode: 'on-behalf-of' })).rejects.toThrow(/^oauthScopes: name the scope to ask for/);
  });

  test('an entry with secret headers and no auth mode reads back as static', async () => {
    const { id } = await catalogue.create({
      name: 'Wiki',
      transport: 'streamable-http',
      url: 'https://wiki.example/mcp',
      secretHeaders: { 'X-Api-Key': 'env:WIKI_KEY' },
    });
    expect((await catalogue.get(id))?.authMode).toBe('static');
  });
});

describe('the client secret', () => {
  test('is stored sealed for its entry, and an update that leaves it out keeps it', async () => {
    const { id } = await catalogue.create({ ...TRACKER, oauthClientId: 'countersign', oauthClientSecret: SECRET });
    const sealed = storedSecret(id);
    expect(sealed).not.toBeNull();
    expect(sealed).not.toContain(SECRET);
    expect(auth.deps.cipher.open(sealed!, clientSecretContext(id))).toBe(SECRET);

    await catalogue.update(id, { description: 'Issues and boards' });
    expect(storedSecret(id)).toBe(sealed);

    await catalogue.update(id, { oauthClientSecret: null });
    expect(storedSecret(id)).toBeNull();
  });
});

describe("people's authorisations when an admin edits the entry", () => {
  test("changing the URL forgets every person's tokens and the registration for that server, and no other server's", async () => {
    const uma = await createUser(db, 'uma');
    const ulf = await createUser(db, 'ulf');
    const tracker = await catalogue.create(TRACKER);
    const wiki = await catalogue.create({ ...TRACKER, name: 'Wiki', url: 'https://wiki.example/mcp' });
    for (const userId of [uma, ulf]) for (const serverId of [tracker.id, wiki.id]) await signedIn(userId, serverId);

    await catalogue.update(tracker.id, { description: 'Issues and boards' });
    expect(rowsFor('mcp_authorisations', tracker.id)).toBe(2);

    await catalogue.update(tracker.id, { url: 'https://tracker.example/v2/mcp' });
    expect(rowsFor('mcp_authorisations', tracker.id)).toBe(0);
    expect(rowsFor('mcp_oauth_clients', tracker.id)).toBe(0);
    expect(rowsFor('mcp_authorisations', wiki.id)).toBe(2);
    expect(rowsFor('mcp_oauth_clients', wiki.id)).toBe(1);
  });
});

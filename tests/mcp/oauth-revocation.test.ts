/**
 * Revoking a person's authorisation reaches their live connections on every instance, not only
 * the one that took the revocation: two instances (MCP layers over one database and one control
 * channel, sealing with one key) each hold a connection for the same person.
 */
import { afterAll, expect, test } from 'bun:test';
import { randomBytes } from 'node:crypto';
import { openSqliteDatabase } from '../../db/database.ts';
import { LocalControlChannel } from '../../server/cluster/control-channel.ts';
import { TokenCipher } from '../../server/crypto/token-cipher.ts';
import { McpSignIn } from '../../server/mcp/oauth/sign-in.ts';
import { createServerAuth } from '../../server/mcp/oauth/setup.ts';
import { eventually } from '../support/eventually.ts';
import { startAuthorizationServer } from '../support/oauth-authorization-server.ts';
import { startProtectedMcpServer } from '../support/protected-mcp-server.ts';
import { tempDir } from '../support/test-server.ts';
import { createUser, mcpKit } from './support.ts';

const authorizationServer = await startAuthorizationServer();
const tracker = await startProtectedMcpServer({ authorizationServer });
const path = `${tempDir()}/countersign.db`;
const control = new LocalControlChannel();
const cipher = new TokenCipher(randomBytes(32));
const instance = () => {
  const db = openSqliteDatabase(path);
  return mcpKit({}, db, control, createServerAuth({ db, cipher, origin: () => 'http://127.0.0.1:1', env: 'test' }));
};
const a = instance();
const b = instance();
afterAll(async () => {
  await Promise.all([a.manager.closeAll(), b.manager.closeAll()]);
  a.db.close();
  b.db.close();
  await tracker.stop();
  await authorizationServer.stop();
});

test("a revocation on one instance closes the person's connection on the others, which then ask them to sign in", async () => {
  const { id: trackerId } = await a.catalogue.create({
    name: 'Tracker',
    transport: 'streamable-http',
    url: tracker.url,
    authMode: 'oauth',
  });
  const uma = await createUser(a.db, 'uma');
  const signIn = new McpSignIn({ catalogue: a.catalogue, auth: a.manager.auth, origin: () => 'http://127.0.0.1:1' });
  const authorizationUrl = await signIn.start(uma, trackerId, '/');
  const callback = new URL(await authorizationServer.authorize(authorizationUrl, 'uma@example.test'));
  await signIn.finish(uma, callback.searchParams);

  const stateOn = async (kit: typeof a) => (await kit.manager.forUser(uma).listTools()).servers.find((s) => s.serverId === trackerId);
  expect(await a.manager.forUser(uma).connect(trackerId)).toMatchObject({ status: 'connected' });
  expect(await stateOn(b)).toMatchObject({ status: 'connected' });

  expect(await a.manager.revokeAuthorisation(uma, trackerId)).toBe(true);
  expect(await stateOn(a)).toMatchObject({ status: 'needs_sign_in' });
  // Instance B was told, and closed its connection without waiting for a call to be refused.
  await eventually(async () => (await stateOn(b))?.status === 'needs_sign_in', "B's connection to close");
  expect(await a.manager.revokeAuthorisation(uma, trackerId)).toBe(false);
});

/**
 * People's tokens never reach the log: a whole sign-in, calls, a silent refresh and a revocation
 * with everything logged at debug, and no line holds any access or refresh token, the registered
 * client's secret, or the authorization code.
 */
import { afterAll, expect, test } from 'bun:test';
import { requestFrom } from '../auth/helpers.ts';
import { HttpBrowser, signInWithDevProvider } from '../support/http-browser.ts';
import { startAuthorizationServer } from '../support/oauth-authorization-server.ts';
import { startProtectedMcpServer } from '../support/protected-mcp-server.ts';
import { startTestServer } from '../support/test-server.ts';
import { type LogLine, lineText, recordingLogger } from './support.ts';

/** Every line the server would have written, at every level, with its fields. */
const logged: LogLine[] = [];

const authorizationServer = await startAuthorizationServer();
const tracker = await startProtectedMcpServer({ authorizationServer });
const server = await startTestServer({}, { log: recordingLogger(logged) });
afterAll(async () => {
  await server[Symbol.asyncDispose]();
  await tracker.stop();
  await authorizationServer.stop();
});

test('no log line holds a token, a client secret or an authorization code', async () => {
  const { id: trackerId } = await server.catalogue.create({
    name: 'Tracker',
    transport: 'streamable-http',
    url: tracker.url,
    authMode: 'oauth',
  });
  const browser = new HttpBrowser();
  await signInWithDevProvider(browser, server.url, 'uma@countersign.dev');
  const uma = (await server.auth.authenticate(requestFrom(browser, server.url)))!.id;
  const handler = server.mcpHandlers.forUser(uma);
  const secrets = new Set<string>();
  const keep = async () => {
    const stored = await server.mcpHandlers.auth.deps.authorisations.get(uma, trackerId);
    for (const value of [stored?.tokens.access_token, stored?.tokens.refresh_token]) if (value) secrets.add(value);
  };

  expect(await handler.connect(trackerId)).toMatchObject({ status: 'needs_sign_in' });
  const start = await browser.fetch(`${server.url}/mcp-oauth/start?server=${trackerId}&returnTo=/`);
  const callback = await authorizationServer.authorize(start.headers.get('location')!, 'uma@example.test');
  secrets.add(new URL(callback).searchParams.get('code')!);
  expect((await browser.fetch(callback)).status).toBe(302);
  await keep();

  const whoami = async () => handler.callTool('tracker__whoami', {});
  expect(await whoami()).toMatchObject({ ok: true });
  tracker.expire(tracker.seen.at(-1)!.accessToken);
  expect(await whoami()).toMatchObject({ ok: true });
  await keep();
  await authorizationServer.revokeGrantsOf('uma@example.test');
  expect(await whoami()).toMatchObject({ ok: false, kind: 'needs-sign-in' });

  for (const seen of tracker.seen) secrets.add(seen.accessToken);
  const registered = await server.mcpHandlers.auth.deps.clients.get(trackerId, authorizationServer.issuer);
  if (registered?.client_secret) secrets.add(registered.client_secret);
  expect(secrets.size).toBeGreaterThan(3);
  const lines = logged.map(lineText);
  // The log did record the story (so an empty log cannot pass this test).
  expect(lines.some((line) => line.includes('mcp connection lost') || line.includes('mcp connected'))).toBe(true);
  for (const secret of secrets) expect(lines.filter((line) => line.includes(secret))).toEqual([]);
});

/**
 * Issue 17 end to end, in Chromium against real servers: a Countersign test server whose model is
 * the scripted OpenAI fixture, and Tracker, an MCP server protected with the SDK behind a real
 * oidc-provider authorisation server, whose whoami the admin's policy makes people approve.
 * Uma and Ulf, each in their own browser profile, connect Tracker from a chat, sign in at the
 * authorisation server, approve a call and see it run with their own token. Uma's expired token
 * is refreshed without a word to her; after her grant is revoked her next call waits for her to
 * sign in again from the chat and then runs by itself (or, another time, she lets it go); and
 * no file in the data folder holds a token in the clear.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { type OpenAIFixture, type Reply, startOpenAIFixture } from '../fixtures/openai-fixture.ts';
import { expectNoProblems, launchBrowser, type OpenPage, openPage, screenshot, signIn } from '../support/browser.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { answerTo, approvalCard, sendMessage } from './chat-actions.ts';
import {
  addOAuthServer,
  connectWithSignIn,
  type OAuthCatalogueServer,
  signInBanner,
  signInPromptsShown,
  signInThrough,
  signInWaitCard,
  watchSignInPrompts,
} from './mcp-sign-in-actions.ts';
import { isTitleRequest } from '../support/title-requests.ts';

setDefaultTimeout(30_000);

interface Person {
  open: OpenPage;
  page: Page;
  /** Their Countersign user id. */
  id: string;
  /** Who they are at Tracker's authorisation server. */
  account: string;
  /** The chat they work in: every sign-in must bring them back to it. */
  chatUrl: string;
}

let fixture: OpenAIFixture;
let server: TestServer;
let tracker: OAuthCatalogueServer;
let browser: Browser;
let uma: Person;
let ulf: Person;
/** The model's next replies to the people's turns; a title request is answered apart. */
const turns: Reply[] = [];
/** Every token Countersign has kept for Tracker at some point: none may be on disk in the clear. */
const keptTokens = new Set<string>();

beforeAll(async () => {
  fixture = startOpenAIFixture();
  fixture.fallback((body) =>
    isTitleRequest(body) ? { kind: 'text', text: 'Tracker chat' } : (turns.shift() ?? { kind: 'text', text: 'Hello.' }),
  );
  [server, browser] = await Promise.all([
    startTestServer({ LLM_PROVIDER: 'openai', LLM_BASE_URL: fixture.baseURL, LLM_API_KEY: 'sk-test', LLM_MODEL: 'fixture-model' }),
    launchBrowser(),
  ]);
  // whoami says nothing of being read-only; the admin says it is asked about all the same.
  tracker = await addOAuthServer(server, 'Tracker', { toolPolicies: { whoami: 'ask' } });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.[Symbol.asyncDispose]();
  await tracker?.stop();
  await fixture?.stop();
});

/** Signs `name` in to Countersign in a fresh browser profile and starts a chat. */
async function personWithChat(name: string, email: string, account: string): Promise<Person> {
  const open = await openPage(browser);
  const { page } = open;
  await signIn(page, server.url, name);
  await answerTo(page, () => sendMessage(page, 'hello'));
  const { id } = server.db.sqlite.query('SELECT id FROM users WHERE email = ?').get(email) as { id: string };
  return { open, page, id, account, chatUrl: page.url() };
}

/** Scripts the model to call whoami and then to answer `answer`, sends `question`, and waits for the approval card. */
async function askWhoami(page: Page, question: string, answer: string): Promise<Locator> {
  turns.push({ kind: 'tool_calls', calls: [{ name: 'tracker__whoami', arguments: {} }] }, { kind: 'text', text: answer });
  await sendMessage(page, question);
  const approval = approvalCard(page);
  await approval.getByText('whoami').first().waitFor();
  return approval;
}

const approve = (approval: Locator) => approval.getByRole('button', { name: 'Approve', exact: true }).click();
const lastToolCard = (page: Page) => page.locator('.tool-card').last();

/** Opens a tool card and its result, and returns the result's text. */
async function resultOf(card: Locator): Promise<string> {
  await card.locator('summary').first().click();
  await card.getByText('Result', { exact: true }).click();
  return (await card.locator('.result-text').textContent()) ?? '';
}

/** The access and refresh tokens Countersign keeps now for `person` at Tracker, noted for the at-rest check. */
async function keptFor(person: Person): Promise<{ access: string; refresh: string }> {
  const stored = await server.mcpHandlers.auth.deps.authorisations.get(person.id, tracker.id);
  if (!stored?.tokens.refresh_token) throw new Error(`no tokens with a refresh token are kept for ${person.account}`);
  keptTokens.add(stored.tokens.access_token).add(stored.tokens.refresh_token);
  return { access: stored.tokens.access_token, refresh: stored.tokens.refresh_token };
}

const tokensSeenFor = (subject: string) => new Set(tracker.mcp.seen.filter((s) => s.subject === subject).map((s) => s.accessToken));

describe('MCP servers behind OAuth, end to end in the web chat', () => {
  test('Uma connects Tracker from a chat, signs in, approves a call, and it runs with her token', async () => {
    uma = await personWithChat('Uma User', 'uma@countersign.dev', 'uma@example.test');
    await connectWithSignIn(uma.page, 'Tracker', uma.account, uma.chatUrl);

    const approval = await askWhoami(uma.page, 'Who am I at Tracker?', 'You are Uma.');
    expect(await answerTo(uma.page, () => approve(approval))).toBe('You are Uma.');
    const card = lastToolCard(uma.page);
    await expect(card.locator('.tool-status').textContent()).resolves.toBe('Done');
    expect(await resultOf(card)).toBe('uma@example.test with scopes mcp:tools');
    await expect(card.getByText('Approved by you.').isVisible()).resolves.toBe(true);
    await screenshot(uma.page, 'mcp-oauth-e2e-01-approved-result');

    const { access } = await keptFor(uma);
    expect(tracker.mcp.seen.length).toBeGreaterThan(0);
    expect(tracker.mcp.seen.every((s) => s.subject === uma.account)).toBe(true);
    expect(tracker.mcp.seen.at(-1)!.accessToken).toBe(access);
  });

  test('Ulf, in his own browser, does the same: his call names him, and no token ever carries the other one', async () => {
    ulf = await personWithChat('Ulf User', 'ulf@countersign.dev', 'ulf@example.test');
    await connectWithSignIn(ulf.page, 'Tracker', ulf.account, ulf.chatUrl);

    const approval = await askWhoami(ulf.page, 'And me?', 'You are Ulf.');
    expect(await answerTo(ulf.page, () => approve(approval))).toBe('You are Ulf.');
    expect(await resultOf(lastToolCard(ulf.page))).toBe('ulf@example.test with scopes mcp:tools');
    await screenshot(ulf.page, 'mcp-oauth-e2e-02-ulf-result');

    const [umas, ulfs] = [tokensSeenFor(uma.account), tokensSeenFor(ulf.account)];
    expect(umas.has((await keptFor(uma)).access)).toBe(true);
    expect(ulfs.has((await keptFor(ulf)).access)).toBe(true);
    expect([...umas].filter((token) => ulfs.has(token))).toEqual([]);
    expect(new Set(tracker.mcp.seen.map((s) => s.subject))).toEqual(new Set([uma.account, ulf.account]));
  });

  test("Uma's expired token is refreshed without asking her: the call runs, no sign-in prompt shows, with a new token", async () => {
    const { access: expired } = await keptFor(uma);
    expect(tracker.mcp.seen.findLast((s) => s.subject === uma.account)!.accessToken).toBe(expired);
    tracker.mcp.expire(expired);
    await watchSignInPrompts(uma.page);
    const seenBefore = tracker.mcp.seen.length;

    const approval = await askWhoami(uma.page, 'Still me?', 'Yes, still Uma.');
    expect(await answerTo(uma.page, () => approve(approval))).toBe('Yes, still Uma.');
    expect(await resultOf(lastToolCard(uma.page))).toBe('uma@example.test with scopes mcp:tools');

    expect(await signInPromptsShown(uma.page)).toEqual([]);
    const fresh = await keptFor(uma);
    expect(fresh.access).not.toBe(expired);
    const after = tracker.mcp.seen.slice(seenBefore);
    expect(after.map((s) => s.subject)).toContain(uma.account);
    expect(after.every((s) => s.subject === uma.account && s.accessToken === fresh.access)).toBe(true);
  });

  test('after her grant is revoked her next call waits for a sign-in, outlives a reload, and runs once she is back', async () => {
    await tracker.authorizationServer.revokeGrantsOf(uma.account);
    const seenBefore = tracker.mcp.seen.length;
    await approve(await askWhoami(uma.page, 'And now?', 'Uma again.'));

    const waiting = signInWaitCard(uma.page);
    await waiting.waitFor();
    await expect(waiting.innerText()).resolves.toContain('A tool call waits for you to sign in to Tracker.');
    await expect(waiting.getByRole('listitem').innerText()).resolves.toBe('whoami on Tracker');
    await expect(lastToolCard(uma.page).locator('.tool-status').textContent()).resolves.toBe('Waiting for you to sign in');
    await screenshot(uma.page, 'mcp-oauth-e2e-03-waiting');
    // The watch the refresh found silent (set before it, on this page) sees this prompt.
    expect(await signInPromptsShown(uma.page)).toContain('Sign in to Tracker');

    await uma.page.reload();
    await waiting.waitFor();
    await expect(lastToolCard(uma.page).locator('.tool-status').textContent()).resolves.toBe('Waiting for you to sign in');
    // The waiting card asks; the banner above the composer does not ask again for the same server.
    expect(await uma.page.getByRole('link', { name: 'Sign in to Tracker' }).count()).toBe(1);
    await screenshot(uma.page, 'mcp-oauth-e2e-03-waiting-after-reload');
    expect(tracker.mcp.seen.slice(seenBefore).every((s) => s.subject !== uma.account)).toBe(true);

    await signInThrough(uma.page, waiting.getByRole('link', { name: 'Sign in to Tracker' }), uma.account, uma.chatUrl);
    const answer = uma.page.locator('.message.assistant .markdown').getByText('Uma again.', { exact: true });
    await answer.waitFor();
    await uma.page.waitForFunction(() => document.querySelector('[role="log"]')?.getAttribute('aria-busy') === 'false');
    const card = lastToolCard(uma.page);
    await expect(card.locator('.tool-status').textContent()).resolves.toBe('Done');
    expect(await resultOf(card)).toBe('uma@example.test with scopes mcp:tools');
    await answer.scrollIntoViewIfNeeded();
    await expect(waiting.count()).resolves.toBe(0);
    await expect(signInBanner(uma.page, 'Tracker').count()).resolves.toBe(0);
    await screenshot(uma.page, 'mcp-oauth-e2e-04-after-return');

    const { access } = await keptFor(uma);
    expect(tracker.mcp.seen.at(-1)).toEqual({ subject: uma.account, accessToken: access });
  });

  test('when her call waits for a sign-in and she lets it go instead, it is not run and the answer follows', async () => {
    await tracker.authorizationServer.revokeGrantsOf(uma.account);
    await approve(await askWhoami(uma.page, 'Once more?', 'Went on without Tracker.'));
    const waiting = signInWaitCard(uma.page);
    await waiting.waitFor();

    const seenBefore = tracker.mcp.seen.length;
    expect(await answerTo(uma.page, () => waiting.getByRole('button', { name: "Don't run it" }).click())).toBe('Went on without Tracker.');
    await expect(lastToolCard(uma.page).locator('.tool-status').textContent()).resolves.toBe('Not run');
    await expect(waiting.count()).resolves.toBe(0);
    expect(tracker.mcp.seen.length).toBe(seenBefore);
    // Still signed out of Tracker: the chat says so without a reload.
    await signInBanner(uma.page, 'Tracker').waitFor();
    await screenshot(uma.page, 'mcp-oauth-e2e-05-not-run');
  });

  test('no file in the data folder holds an access token, a refresh token or the registered client secret', async () => {
    for (const seen of tracker.mcp.seen) keptTokens.add(seen.accessToken);
    const registered = await server.mcpHandlers.auth.deps.clients.get(tracker.id, tracker.authorizationServer.issuer);
    if (!registered?.client_secret) throw new Error('the authorisation server issued no client secret');
    keptTokens.add(registered.client_secret);

    server.db.sqlite.run('PRAGMA wal_checkpoint(TRUNCATE)');
    const files = readdirSync(server.config.dataDir, { recursive: true, withFileTypes: true }).filter((f) => f.isFile());
    const contents = files.map((f) => readFileSync(join(f.parentPath, f.name)).toString('latin1'));
    // The rows reached the files: what is kept in the clear is there.
    expect(contents.some((c) => c.includes(tracker.authorizationServer.issuer))).toBe(true);
    for (const token of keptTokens) expect(contents.filter((c) => c.includes(token))).toEqual([]);
  });

  test('no page errors', () => {
    expectNoProblems(uma.open);
    expectNoProblems(ulf.open);
  });
});

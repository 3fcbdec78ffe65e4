/**
 * A catalogue server behind OAuth in the web chat, in a real browser against real servers (a
 * Countersign test server, an oidc-provider authorisation server, an MCP server protected with the
 * SDK): a person connects it from a chat, is asked to sign in on its card and above the composer,
 * signs in at the authorisation server, comes back to the same chat with the server connected,
 * and revokes the sign-in from "Connected accounts", after which the server asks again.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test';
import type { Browser, Page } from 'playwright-core';
import { expectNoProblems, launchBrowser, openPage, screenshot, signIn, type OpenPage } from '../support/browser.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { answerTo, sendMessage } from './chat-actions.ts';
import {
  addOAuthServer,
  closeTools,
  type OAuthCatalogueServer,
  openTools,
  revokeConnectedAccount,
  serverCard,
  signInBanner,
  signInThrough,
} from './mcp-sign-in-actions.ts';

setDefaultTimeout(30_000);

const ACCOUNT = 'uma@example.test';
let server: TestServer;
let tracker: OAuthCatalogueServer;
let browser: Browser;
let uma: OpenPage;
let page: Page;
/** The chat Uma works in: every sign-in must bring her back to it. */
let chatUrl: string;

beforeAll(async () => {
  [server, browser] = await Promise.all([startTestServer(), launchBrowser()]);
  tracker = await addOAuthServer(server, 'Tracker');
  uma = await openPage(browser);
  page = uma.page;
  await signIn(page, server.url, 'Uma User');
  await answerTo(page, () => sendMessage(page, 'hello'));
  chatUrl = page.url();
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await server?.[Symbol.asyncDispose]();
  await tracker?.stop();
});

describe('a server behind OAuth in the web chat', () => {
  test('connecting it from a chat asks for a sign-in, on its card and above the composer', async () => {
    expect(new URL(chatUrl).pathname).toMatch(/^\/c\/[0-9a-f-]{36}$/);
    await openTools(page);
    const card = serverCard(page, 'Tracker');
    await card.getByRole('button', { name: 'Connect' }).click();
    await card.getByText('Needs you to sign in', { exact: true }).waitFor();

    await expect(card.getByRole('alert').textContent()).resolves.toBe('Tracker needs you to sign in');
    const link = card.getByRole('link', { name: 'Sign in to Tracker' });
    const href = new URL((await link.getAttribute('href'))!, server.url);
    expect(href.pathname).toBe('/mcp-oauth/start');
    expect(Object.fromEntries(href.searchParams)).toEqual({ server: tracker.id, returnTo: new URL(chatUrl).pathname });
    await expect(card.getByRole('button', { name: 'Disconnect' }).isVisible()).resolves.toBe(true);
    await expect(card.getByRole('switch', { name: 'Use in this chat' }).isChecked()).resolves.toBe(true);
    await screenshot(page, 'mcp-sign-in-01-card');

    await closeTools(page);
    const banner = signInBanner(page, 'Tracker');
    await expect(banner.getByRole('link', { name: 'Sign in to Tracker' }).getAttribute('href')).resolves.toBe(href.pathname + href.search);
    // The banner says what to do; the general "not connected" warning would only repeat it.
    await expect(page.getByText('is not connected').count()).resolves.toBe(0);
    await screenshot(page, 'mcp-sign-in-02-banner');
  });

  test('signing in from the card goes through the account picker and back to the same chat, connected, with its tools', async () => {
    await openTools(page);
    await signInThrough(page, serverCard(page, 'Tracker').getByRole('link', { name: 'Sign in to Tracker' }), ACCOUNT, chatUrl);

    await openTools(page);
    const card = serverCard(page, 'Tracker');
    await card.getByText('Connected', { exact: true }).waitFor();
    await card.getByText(/^\d+ tools$/).click();
    await card.getByRole('listitem').filter({ hasText: 'whoami' }).waitFor();
    const accounts = page.getByRole('region', { name: 'Connected accounts' });
    await expect(accounts.getByRole('listitem').innerText()).resolves.toContain('Tracker');
    await expect(accounts.getByRole('listitem').innerText()).resolves.toContain('access: mcp:tools');
    await accounts.scrollIntoViewIfNeeded();
    await screenshot(page, 'mcp-sign-in-03-connected');
    expect(tracker.mcp.seen.some((request) => request.subject === ACCOUNT)).toBe(true);
    await closeTools(page);
    await expect(signInBanner(page, 'Tracker').count()).resolves.toBe(0);
  });

  test('revoking it from Connected accounts makes the card ask for a sign-in again, and the banner comes back', async () => {
    await openTools(page);
    await revokeConnectedAccount(page, 'Tracker');

    const card = serverCard(page, 'Tracker');
    await card.getByText('Needs you to sign in', { exact: true }).waitFor();
    await expect(card.getByRole('link', { name: 'Sign in to Tracker' }).isVisible()).resolves.toBe(true);
    await expect(page.getByRole('region', { name: 'Connected accounts' }).count()).resolves.toBe(0);
    await screenshot(page, 'mcp-sign-in-04-revoked');
    await closeTools(page);
    await signInBanner(page, 'Tracker').waitFor();
  });

  test('signing in again from the banner comes back to the chat with the server connected', async () => {
    await signInThrough(page, signInBanner(page, 'Tracker').getByRole('link', { name: 'Sign in to Tracker' }), ACCOUNT, chatUrl);

    await openTools(page);
    await serverCard(page, 'Tracker').getByText('Connected', { exact: true }).waitFor();
    await closeTools(page);
    await expect(signInBanner(page, 'Tracker').count()).resolves.toBe(0);
    expectNoProblems(uma);
  });
});

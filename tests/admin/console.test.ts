/**
 * The admin console in Chromium, next to people using the web chat: Ada adds and tests a
 * catalogue server, denies a tool and Uma's chat stops being offered it, disables Ulf and he is
 * signed out, issues and revokes a service token, puts a server behind OAuth and revokes a person's
 * sign-in there, reads what a server logged and changes its log level. Screenshots go to
 * test-output/screenshots.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test';
import type { Browser, Locator, Page } from 'playwright-core';
import { eq } from 'drizzle-orm';
import { startLegacyLoggingServer } from '../mcp/fixtures/logging-servers.ts';
import { type MutableServer, startMutableServer, tool } from '../mcp/fixtures/mutable-server.ts';
import { eventually } from '../support/eventually.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { answerTo, sendMessage } from '../browser/chat-actions.ts';
import { createUser } from '../mcp/support.ts';
import { launchBrowser, openPage, type OpenPage, screenshot, signIn } from '../support/browser.ts';

// Each step is a person's few clicks across two browsers and a server.
setDefaultTimeout(30_000);

let server: TestServer;
let mutable: MutableServer;
let browser: Browser;
let ada: OpenPage;

beforeAll(async () => {
  server = await startTestServer();
  mutable = startMutableServer([tool('alpha'), tool('beta', 'Looks things up')]);
  browser = await launchBrowser();
  ada = await openPage(browser);
  await signIn(ada.page, server.url, 'Ada Admin', '/admin');
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await server?.[Symbol.asyncDispose]();
  await mutable?.stop();
});

/** Opens the web chat as `name` and waits until it shows them. */
async function chatAs(name: string): Promise<OpenPage> {
  const person = await openPage(browser);
  await signIn(person.page, server.url, name);
  await person.page.getByRole('textbox', { name: 'Message' }).waitFor();
  return person;
}

/** The console's pages are long: whole-page screenshots, named admin-*. */
const shot = (page: Page, name: string) => screenshot(page, `admin-${name}`, { fullPage: true });

async function openTools(page: Page) {
  await page.getByRole('button', { name: /^Tools/ }).click();
  return page.getByRole('listitem', { name: 'Countersign' });
}

/** The tool's entry in the server card, with the card's tool list unfolded. */
async function toolEntry(card: Locator, name: string): Promise<Locator> {
  const list = card.locator('details.server-tools');
  if (!(await list.evaluate((details: HTMLDetailsElement) => details.open))) await list.locator('summary').click();
  return card.getByRole('listitem').filter({ hasText: name });
}

describe('admin console', () => {
  test('the catalogue lists the servers; a new server is tested before it is saved', async () => {
    const { page } = ada;
    await page.getByRole('heading', { name: 'MCP server catalogue' }).waitFor();
    await expect(page.getByRole('row', { name: 'Countersign' }).textContent()).resolves.toContain('Enabled');
    await shot(page, 'catalogue');

    await page.getByRole('link', { name: 'Add server' }).click();
    await page.getByRole('heading', { name: 'Add a server' }).waitFor();
    await page.getByRole('textbox', { name: 'Name', exact: true }).fill('Mutable tools');
    await page.getByLabel('URL (http or https)').fill(mutable.url);
    await page.getByRole('button', { name: 'Test connection' }).click();
    const result = page.getByRole('status', { name: 'Connection test' });
    await result.getByText(/Connected/).waitFor();
    await expect(result.getByRole('listitem').allTextContents()).resolves.toEqual([
      expect.stringContaining('alpha'),
      expect.stringContaining('beta'),
    ]);
    await shot(page, 'server-test');

    await page.getByRole('button', { name: 'Add to catalogue' }).click();
    await page.getByRole('heading', { name: 'Mutable tools' }).waitFor();
    expect(new URL(page.url()).pathname).toMatch(/^\/admin\/servers\/[0-9a-f-]{36}$/);
    await page.getByRole('row', { name: 'beta' }).waitFor();
    await page.getByRole('link', { name: 'Catalogue' }).first().click();
    await page.getByRole('row', { name: 'Mutable tools' }).waitFor();
    expect(ada.problems).toEqual([]);
  });

  test('a tool set to deny shows as blocked in Uma’s tools, and her assistant is not offered it', async () => {
    const uma = await chatAs('Uma User');
    const card = await openTools(uma.page);
    await card.getByRole('button', { name: 'Connect' }).click();
    await card.getByText('Connected', { exact: true }).waitFor();
    expect(await (await toolEntry(card, 'notes_delete')).textContent()).not.toContain('blocked');
    await uma.page.getByRole('button', { name: 'Close tools' }).click();

    const { page } = ada;
    await page.getByRole('link', { name: 'Countersign', exact: true }).click();
    await page.getByRole('heading', { name: 'Countersign', exact: true }).waitFor();
    const policy = page.getByRole('combobox', { name: 'Policy for notes_delete' });
    await policy.selectOption('DENY');
    await page.getByRole('row', { name: 'notes_delete' }).getByText('deny', { exact: true }).waitFor();
    await shot(page, 'tool-policy-deny');

    const after = await openTools(uma.page);
    await (await toolEntry(after, 'notes_delete')).getByText('blocked').waitFor();
    await shot(uma.page, 'user-tools-after-deny');
    await uma.page.getByRole('button', { name: 'Close tools' }).click();

    // The demo model calls a tool named in the message only when it is offered that tool.
    const answer = await answerTo(uma.page, () => sendMessage(uma.page, 'Please use notes_delete now'));
    expect(await uma.page.getByRole('region', { name: 'Approval needed' }).count()).toBe(0);
    expect(answer).not.toContain('notes_delete"');
    // A tool the policy runs without asking leaves a row in the audit log (seen on the audit page below).
    await answerTo(uma.page, () => sendMessage(uma.page, 'What time is it in Europe/Paris?'));
    await shot(uma.page, 'user-chat-after-deny');
    expect(uma.problems).toEqual([]);
    await uma.close();
  });

  test('disabling Ulf signs him out: his open chat lands on sign-in, which refuses him', async () => {
    const ulf = await chatAs('Ulf User');
    const { page } = ada;
    await page.getByRole('link', { name: 'Users' }).click();
    const row = page.getByRole('row', { name: 'Ulf' });
    await row.getByRole('button', { name: 'Disable' }).click();
    await page.getByRole('dialog', { name: 'Disable Ulf User?' }).getByRole('button', { name: 'Disable' }).click();
    await row.getByText('Disabled', { exact: true }).waitFor();
    await shot(page, 'users-disabled');

    // No reload: his socket is closed (4401) and the open chat sends him to sign-in by itself.
    await ulf.page.getByRole('heading', { name: 'Development sign-in' }).waitFor();
    await ulf.page.getByRole('button', { name: /Ulf/ }).click();
    await ulf.page.getByRole('heading', { name: 'Your account is disabled' }).waitFor();
    await shot(ulf.page, 'user-disabled-signed-out');
    await ulf.close();

    await row.getByRole('button', { name: 'Enable' }).click();
    await row.getByText('Active', { exact: true }).waitFor();
  });

  test('a service token is shown once with a copy button, listed, and revoked', async () => {
    const { page } = ada;
    await page.getByRole('link', { name: 'Service tokens' }).click();
    await page.getByLabel('Label (what uses it)').fill('Reporting service');
    await page.getByLabel('Service account name (created if new)').fill('reporting');
    await page.getByRole('button', { name: 'Issue token' }).click();
    const issued = page.getByRole('textbox', { name: 'New token value' });
    await issued.waitFor();
    expect(await issued.inputValue()).toMatch(/^cs_[A-Za-z0-9_-]{43}$/);
    await page.getByRole('button', { name: 'Copy' }).waitFor();
    const row = page.getByRole('row', { name: 'Reporting service' });
    await row.getByText('active').waitFor();
    await shot(page, 'tokens');

    await page.getByRole('button', { name: 'Done' }).click();
    expect(await issued.count()).toBe(0);
    await row.getByRole('button', { name: 'Revoke' }).click();
    await page.getByRole('dialog', { name: 'Revoke “Reporting service”?' }).getByRole('button', { name: 'Revoke' }).click();
    await row.waitFor({ state: 'detached' });
    expect(ada.problems).toEqual([]);
  });

  test('the audit log and the catalogue in dark mode', async () => {
    await ada.page.getByRole('link', { name: 'Audit log' }).click();
    await ada.page.getByRole('cell', { name: 'time_now' }).waitFor();
    await ada.page.getByRole('combobox', { name: 'Decision' }).selectOption('AUTO');
    await ada.page.getByRole('button', { name: 'Apply filters' }).click();
    await ada.page.getByText('1–1 of 1').waitFor();
    await shot(ada.page, 'audit');

    const dark = await openPage(browser, { colorScheme: 'dark' });
    await signIn(dark.page, server.url, 'Ada Admin', '/admin');
    await dark.page.getByRole('row', { name: 'Mutable tools' }).waitFor();
    await shot(dark.page, 'catalogue-dark');
    await dark.page.getByRole('link', { name: 'Mutable tools' }).click();
    await dark.page.getByRole('row', { name: 'alpha' }).waitFor();
    await shot(dark.page, 'server-dark');
    expect(dark.problems).toEqual([]);
    await dark.close();
  });

  test('a server behind OAuth: only its mode’s fields, a write-only secret, errors beside their field, sign-ins revoked', async () => {
    const { page } = ada;
    await page.getByRole('link', { name: 'Catalogue' }).first().click();
    await page.getByRole('link', { name: 'Add server' }).click();
    await page.getByRole('textbox', { name: 'Name', exact: true }).fill('Tracker');
    await page.getByLabel('URL (http or https)').fill('http://127.0.0.1:9/mcp');
    const auth = page.getByRole('group', { name: 'Authentication' });
    expect(await auth.getByRole('radio', { name: 'None' }).isChecked()).toBe(true);
    expect(await auth.getByRole('textbox').count()).toBe(0);

    await auth.getByRole('radio', { name: 'A service identity (client credentials)' }).check();
    await auth.getByRole('textbox', { name: 'Client id' }).fill('countersign');
    await page.getByRole('button', { name: 'Add to catalogue' }).click();
    const secretKey = auth.getByRole('textbox', { name: /^Client secret, or a PEM private key/ });
    await page.locator('[aria-invalid="true"]').waitFor();
    expect(await secretKey.getAttribute('aria-invalid')).toBe('true');
    const described = await secretKey.evaluate((element) =>
      (element.getAttribute('aria-describedby') ?? '')
        .split(' ')
        .map((id) => document.getElementById(id)?.textContent)
        .join(' '),
    );
    expect(described).toContain('client credentials need a client id and a client secret');
    await shot(page, 'server-auth-problem');

    await auth.getByRole('radio', { name: 'Each person signs in (OAuth)' }).check();
    expect(await secretKey.count()).toBe(0);
    await auth.getByLabel(/^Client secret, for a confidential client/).fill('tracker-secret-4e1d');
    await auth.getByRole('textbox', { name: /^Scopes to ask for/ }).fill('mcp:tools');
    await page.getByRole('button', { name: 'Add to catalogue' }).click();
    await page.getByRole('heading', { name: 'Tracker', exact: true }).waitFor();
    const serverId = new URL(page.url()).pathname.split('/').pop()!;
    await auth.getByText('•••• set', { exact: true }).waitFor();
    expect(await page.content()).not.toContain('tracker-secret-4e1d');
    const signedIn = page.getByRole('region', { name: 'People who have signed in' });
    await signedIn.getByText('Nobody has signed in yet.').waitFor();

    // Replacing is on purpose, and the keyboard lands in the new field.
    await auth.getByRole('button', { name: 'Replace the client secret' }).press('Enter');
    expect(await auth.getByLabel(/^Client secret/).evaluate((element) => element === document.activeElement)).toBe(true);
    await auth.getByRole('button', { name: 'Keep the stored one' }).click();

    const rita = await createUser(server.db, 'rita');
    await server.mcpHandlers.auth.deps.authorisations.save(rita, serverId, 'http://127.0.0.1:9', {
      access_token: 'rita-access-token',
      token_type: 'Bearer',
      scope: 'mcp:tools',
      expires_in: 3600,
    });
    await page.reload();
    const row = signedIn.getByRole('row', { name: 'rita' });
    await row.getByText('rita@example.test').waitFor();
    expect(await row.textContent()).toContain('mcp:tools');
    await shot(page, 'server-auth');

    await row.getByRole('button', { name: 'Revoke' }).click();
    await row.getByRole('group', { name: "Revoke rita's sign-in?" }).getByRole('button', { name: 'Yes, revoke' }).click();
    await signedIn.getByText('Nobody has signed in yet.').waitFor();
    expect(await server.mcpHandlers.auth.deps.authorisations.has(rita, serverId)).toBe(false);
    expect(ada.problems).toEqual([]);
  });

  test('a server’s log: its messages newest first with their level, and the level changed on the form', async () => {
    await using logging = startLegacyLoggingServer();
    const { id } = await server.catalogue.create({ name: 'Indexer', transport: 'streamable-http', url: logging.url, logLevel: 'info' });
    const rita = await createUser(server.db, 'rita-logs');
    await server.mcpHandlers.connect(rita, id);
    const path = '/var/lib/countersign/index/'.repeat(12);
    await server.mcpHandlers.forUser(rita).callTool('indexer__log', {
      messages: [
        { level: 'info', data: 'indexing started', logger: 'indexer' },
        { level: 'error', data: `disk full: ${path}` },
      ],
    });
    const logs = server.db.tables.mcpServerLogs;
    await eventually(
      async () => (await server.db.drizzle.select().from(logs).where(eq(logs.serverId, id))).length === 2,
      'both messages to be kept',
    );

    const { page } = ada;
    await page.goto(`${server.url}/admin/servers/${id}`);
    const log = page.getByRole('region', { name: 'Server log', exact: true });
    const entries = log.getByRole('listitem');
    await entries.nth(1).waitFor();
    const texts = await entries.allTextContents();
    expect(texts[0]).toContain('Level: error');
    expect(texts[0]).toContain(`disk full: ${path}`);
    expect(texts[1]).toContain('Level: info');
    expect(texts[1]).toContain('logger indexer');
    expect(texts[1]).toContain('for rita-logs');
    // Long data wraps inside its box instead of scrolling sideways.
    const data = log.locator('pre').first();
    expect(await data.evaluate((element) => element.scrollWidth <= element.clientWidth)).toBe(true);
    await shot(page, 'server-log');

    const level = page.getByRole('combobox', { name: 'Server log level' });
    expect(await level.inputValue()).toBe('INFO');
    await level.selectOption('DEBUG');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await log.getByText(/at debug or above/).waitFor();
    expect((await server.catalogue.get(id))?.logLevel).toBe('debug');
    expect(ada.problems).toEqual([]);
  });

  test('a signed-in person without the admin role gets a 403 page, not the console', async () => {
    const uma = await openPage(browser);
    await signIn(uma.page, server.url, 'Uma User');
    const response = await uma.page.goto(`${server.url}/admin/users`);
    expect(response?.status()).toBe(403);
    await uma.page.getByRole('heading', { name: 'Admins only' }).waitFor();
    await shot(uma.page, 'forbidden');
    await uma.close();
  });
});

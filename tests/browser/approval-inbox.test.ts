/**
 * The approval inbox in Chromium: approvals waiting in two chats show as a count in the sidebar and
 * the tab's title, each opens from the list, deciding one lowers the count; a browser notification
 * tells of an approval that arrives while the tab is hidden; and another tab of the same person
 * hears of a rename without reading the list again.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test';
import type { Browser, Page } from 'playwright-core';
import { startOpenAIFixture, type ChatRequestBody, type OpenAIFixture } from '../fixtures/openai-fixture.ts';
import { expectNoProblems, launchBrowser, openPage, screenshot, signIn, type OpenPage } from '../support/browser.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { approvalCard, connectServer, sendMessage } from './chat-actions.ts';
import { isTitleRequest } from '../support/title-requests.ts';

setDefaultTimeout(60_000);

const CREATE_NOTE = 'countersign__notes_create';
let fixture: OpenAIFixture;
let server: TestServer;
let browser: Browser;
let person: OpenPage;
let page: Page;

const noteAsked = (body: ChatRequestBody) => /Save a note titled (\w+)\./.exec(JSON.stringify(body.messages))?.[1];

/** Records every Notification the page constructs, as the person would see them. */
const recordNotifications = () => {
  const Real = window.Notification;
  const shown: { title: string; body: string; tag: string; notification: Notification }[] = [];
  (window as unknown as { shownNotifications: typeof shown }).shownNotifications = shown;
  class Recorded extends Real {
    constructor(title: string, options?: NotificationOptions) {
      super(title, options);
      shown.push({ title, body: options?.body ?? '', tag: options?.tag ?? '', notification: this });
    }
  }
  Object.defineProperty(Recorded, 'permission', { get: () => Real.permission });
  window.Notification = Recorded as typeof Notification;
};

beforeAll(async () => {
  fixture = startOpenAIFixture();
  // "Save a note titled X." asks to create a note (an approval); the chat is then named after X.
  fixture.fallback((body) => {
    const note = noteAsked(body);
    if (isTitleRequest(body)) return { kind: 'text', text: note ? `${note} notes` : 'Notes chat' };
    const last = body.messages.at(-1);
    if (last?.role === 'user' && note)
      return { kind: 'tool_calls', calls: [{ name: CREATE_NOTE, arguments: { title: note, body: 'inbox' } }] };
    return { kind: 'text', text: 'Done.' };
  });
  [server, browser] = await Promise.all([
    startTestServer({ LLM_PROVIDER: 'openai', LLM_BASE_URL: fixture.baseURL, LLM_API_KEY: 'sk-test', LLM_MODEL: 'fixture-model' }),
    launchBrowser(),
  ]);
  person = await openPage(browser);
  page = person.page;
  await person.context.addInitScript(recordNotifications);
  await signIn(page, server.url, 'Uma User');
  await connectServer(page, 'Countersign');
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await server?.[Symbol.asyncDispose]();
  await fixture?.stop();
});

const approvalsButton = (p: Page) => p.getByRole('button', { name: /^Approvals/ });
const inboxDialog = (p: Page) => p.getByRole('dialog', { name: 'Waiting approvals' });

/** Starts a new chat that asks to save a note, and waits for its approval card and its title. */
async function chatAwaitingApproval(p: Page, note: string): Promise<string> {
  await p.getByRole('button', { name: 'New chat' }).click();
  // Until the new chat is shown, the message would go to the chat still there.
  await p.getByRole('heading', { name: 'What can I help with?' }).waitFor();
  await sendMessage(p, `Save a note titled ${note}.`);
  await approvalCard(p).waitFor();
  await p.getByRole('heading', { name: `${note} notes` }).waitFor();
  return new URL(p.url()).pathname;
}

async function openFromInbox(p: Page, title: string): Promise<void> {
  await approvalsButton(p).click();
  await inboxDialog(p)
    .getByRole('button', { name: new RegExp(title) })
    .click();
  await inboxDialog(p).waitFor({ state: 'detached' });
}

describe('approval inbox', () => {
  test('two chats waiting: the count in the sidebar and the title, a jump to each, one fewer once decided', async () => {
    const groceries = await chatAwaitingApproval(page, 'Groceries');
    const holiday = await chatAwaitingApproval(page, 'Holiday');

    await approvalsButton(page).filter({ hasText: '2' }).waitFor();
    await page.waitForFunction(() => document.title === '(2) Holiday notes · Countersign');

    await approvalsButton(page).click();
    const entries = inboxDialog(page).getByRole('listitem');
    await expect(entries.allTextContents()).resolves.toEqual([
      expect.stringMatching(/^Holiday notes.*Create a note.*(just now|ago)/),
      expect.stringMatching(/^Groceries notes.*Create a note.*(just now|ago)/),
    ]);
    await screenshot(page, 'approval-inbox-two-waiting');
    await page.keyboard.press('Escape');
    await inboxDialog(page).waitFor({ state: 'detached' });

    await openFromInbox(page, 'Groceries notes');
    expect(new URL(page.url()).pathname).toBe(groceries);
    await approvalCard(page).waitFor();
    await openFromInbox(page, 'Holiday notes');
    expect(new URL(page.url()).pathname).toBe(holiday);
    await approvalCard(page).waitFor();

    await approvalCard(page).getByRole('button', { name: 'Approve', exact: true }).click();
    await approvalCard(page).waitFor({ state: 'detached' });
    await approvalsButton(page).filter({ hasText: '1' }).waitFor();
    await page.waitForFunction(() => document.title === '(1) Holiday notes · Countersign');
    await approvalsButton(page).click();
    await expect(inboxDialog(page).getByRole('listitem').allTextContents()).resolves.toEqual([expect.stringMatching(/^Groceries notes/)]);
    await page.keyboard.press('Escape');
    expectNoProblems(person);
  });

  test('an approval that arrives while the tab is hidden shows a notification, which opens its chat', async () => {
    await person.context.grantPermissions(['notifications'], { origin: server.url });
    await approvalsButton(page).click();
    await inboxDialog(page).getByRole('checkbox', { name: 'Notify me when an approval waits' }).check();
    await page.keyboard.press('Escape');

    // Headless Chromium keeps every page visible, even behind another brought to the front, so the
    // page is told it is hidden as a browser tells a background tab: `hidden`, then visibilitychange.
    await page.evaluate(() => {
      Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
      document.dispatchEvent(new Event('visibilitychange'));
    });
    // Another tab of the same person starts a chat that waits.
    const other = await person.context.newPage();
    await other.goto(server.url);
    const waiting = await chatAwaitingApproval(other, 'Secret');

    const shown = await page.waitForFunction(() => {
      const list = (window as unknown as { shownNotifications: { title: string; body: string }[] }).shownNotifications;
      return list.length > 0 && list.map(({ title, body }) => ({ title, body }));
    });
    // Raised before the chat was named: the notification names it as the list did then.
    expect(await shown.jsonValue()).toEqual([{ title: 'New chat', body: 'Waiting for your approval: Create a note' }]);

    await page.evaluate(() => {
      // Visible again, as the person comes back to the tab.
      Reflect.deleteProperty(document, 'hidden');
      Reflect.deleteProperty(document, 'visibilityState');
      const [first] = (window as unknown as { shownNotifications: { notification: Notification }[] }).shownNotifications;
      first!.notification.dispatchEvent(new Event('click'));
    });
    await page.waitForURL((url) => url.pathname === waiting);
    await approvalCard(page).waitFor();
    await other.close();
    expectNoProblems(person);
  });

  test('a rename in one tab reaches the other tab’s list without it reading the list again', async () => {
    const other = await person.context.newPage();
    await other.goto(server.url);
    await other.getByRole('link', { name: 'Groceries notes' }).waitFor();
    const listReads: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('chats.list')) listReads.push(request.url());
    });

    // Its actions show on hover, as a person's pointer finds them.
    await other.getByRole('link', { name: 'Groceries notes' }).hover();
    await other.getByRole('button', { name: /^Rename “Groceries notes/ }).click();
    const rename = other.getByRole('dialog', { name: 'Rename chat' });
    await rename.getByRole('textbox', { name: 'Title' }).fill('Weekly shopping');
    await rename.getByRole('textbox', { name: 'Title' }).press('Enter');

    await page.getByRole('navigation', { name: 'Your chats' }).getByRole('link', { name: 'Weekly shopping' }).waitFor();
    await approvalsButton(page).click();
    await inboxDialog(page)
      .getByRole('button', { name: /^Weekly shopping/ })
      .waitFor();
    await page.keyboard.press('Escape');
    expect(listReads).toEqual([]);
    await other.close();
    expectNoProblems(person);
  });
});

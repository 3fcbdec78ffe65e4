/**
 * The web chat in a real browser against a real server (development sign-in, offline demo
 * model, the built-in MCP server): what a person does, step by step, and what they see.
 * One browser; each person gets their own context (cookies), as separate browsers would.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test';
import type { Browser, Page } from 'playwright-core';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { expectNoProblems, launchBrowser, openPage, screenshot, signIn, type OpenPage } from '../support/browser.ts';
import { answerStates, answerTo, approvalCard, recordAnswerStates, sendMessage } from './chat-actions.ts';

setDefaultTimeout(30_000);

let server: TestServer;
let browser: Browser;
let uma: OpenPage;
let page: Page;

beforeAll(async () => {
  [server, browser] = await Promise.all([startTestServer(), launchBrowser()]);
  uma = await openPage(browser);
  page = uma.page;
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await server?.[Symbol.asyncDispose]();
});

async function newChat(): Promise<void> {
  await page.getByRole('button', { name: 'New chat', exact: true }).click();
  await page.getByRole('heading', { name: 'What can I help with?' }).waitFor();
}

describe('the web chat', () => {
  test('visiting / signed out goes to the development sign-in; picking Uma brings her back into the app', async () => {
    await signIn(page, server.url, 'Uma User');
    await expect(page.getByText('Development sign-in', { exact: true }).isVisible()).resolves.toBe(true);
    await expect(page.getByText('Offline demo model', { exact: true }).isVisible()).resolves.toBe(true);
    await expect(page.getByText('uma@countersign.dev').isVisible()).resolves.toBe(true);
    await expect(page.getByText('No chats yet.').isVisible()).resolves.toBe(true);
    await screenshot(page, '01-new-chat');
  });

  test('the tools panel connects the built-in server and lists its tools with their hints', async () => {
    await page.getByRole('button', { name: /^Tools/ }).click();
    const card = page.getByRole('listitem', { name: 'Countersign' });
    await expect(card.getByText('Not connected').isVisible()).resolves.toBe(true);
    await card.getByRole('button', { name: 'Connect' }).click();
    await card.getByText('Connected', { exact: true }).waitFor();
    await card.getByText(/^\d+ tools$/).click();
    const time = card.getByRole('listitem').filter({ hasText: 'Current time' });
    await expect(time.getByText('read-only').isVisible()).resolves.toBe(true);
    await expect(time.getByText('runs without asking').isVisible()).resolves.toBe(true);
    const create = card.getByRole('listitem').filter({ hasText: 'Create a note' });
    await expect(create.getByText('asks first').isVisible()).resolves.toBe(true);
    await expect(card.getByRole('switch', { name: 'Use in new chats' }).isChecked()).resolves.toBe(true);
    await screenshot(page, '02-tools-panel');
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    await expect(page.getByRole('button', { name: /^Tools/ }).textContent()).resolves.toContain('1');
  });

  test('asking for a tool: the approval card, Approve, and the answer streaming in', async () => {
    await sendMessage(page, 'create a note titled Groceries: eggs, milk');
    await page.waitForURL(/\/c\/[0-9a-f-]{36}$/);
    const approval = approvalCard(page);
    await approval.waitFor();
    await expect(approval.getByText('Create a note', { exact: true }).isVisible()).resolves.toBe(true);
    await expect(approval.getByText("Saves a new note in the user's personal notes.").isVisible()).resolves.toBe(true);
    await expect(approval.locator('dd').allInnerTexts()).resolves.toEqual(['Groceries', 'eggs, milk']);
    await expect(page.getByRole('textbox', { name: 'Message' }).isVisible()).resolves.toBe(true);
    await expect(page.getByText('Decide on the tool call above first').isVisible()).resolves.toBe(true);
    await screenshot(page, '03-approval');

    // Streaming, not one final paint: the answer is shown part-written several times on the way.
    await recordAnswerStates(page);
    const answer = await answerTo(page, () => approval.getByRole('button', { name: 'Approve', exact: true }).click());
    expect(answer).toContain('returned');
    const lengths = (await answerStates(page)).map((state) => state.length);
    expect(lengths.filter((n) => n < answer.length).length).toBeGreaterThan(2);

    const card = page.locator('.tool-card').last();
    await expect(card.locator('.tool-status').textContent()).resolves.toBe('Done');
    await card.locator('summary').first().click();
    await expect(card.getByText('Approved by you.').isVisible()).resolves.toBe(true);
    await card.getByText('Result').click();
    await expect(card.locator('.result-text').textContent()).resolves.toContain('Groceries');
    // The chat got a title from its first exchange.
    await page
      .getByRole('navigation', { name: 'Your chats' })
      .getByRole('link', { name: /Groceries/i })
      .waitFor();
    await screenshot(page, '04-answer');
  });

  test('rejecting a call, with a reason, gets a humane reply and nothing runs', async () => {
    await newChat();
    await sendMessage(page, 'create a note titled Secret: the launch codes');
    const approval = approvalCard(page);
    await approval.getByRole('button', { name: 'Reject…' }).click();
    await approval.getByRole('textbox', { name: /Reason/ }).fill('not in my notes, please');
    const answer = await answerTo(page, () => approval.getByRole('button', { name: 'Reject', exact: true }).click());
    expect(answer).toContain('I did not run');
    expect(answer).toContain('No problem');
    const card = page.locator('.tool-card').last();
    await expect(card.locator('.tool-status').textContent()).resolves.toBe('Rejected');
    await card.locator('summary').first().click();
    await expect(card.getByText('Rejected by you: not in my notes, please.').isVisible()).resolves.toBe(true);
    await screenshot(page, '05-rejected');
  });

  test('editing the arguments before approving: the editor refuses what does not fit the schema', async () => {
    await newChat();
    await sendMessage(page, 'create a note titled Draft: first words');
    const approval = approvalCard(page);
    await approval.getByRole('button', { name: 'Edit' }).click();
    const editor = approval.getByRole('textbox', { name: /Arguments for Create a note/ });
    const approve = approval.getByRole('button', { name: 'Approve with these arguments' });

    await editor.fill('{ "title": ');
    await approval.getByText(/Not valid JSON/).waitFor();
    await expect(approve.isDisabled()).resolves.toBe(true);
    await editor.fill('{ "title": 42 }');
    await approval.locator('.problems li').first().waitFor();
    await expect(approval.locator('.problems').innerText()).resolves.toMatch(/title|body/);
    await expect(approve.isDisabled()).resolves.toBe(true);
    await screenshot(page, '06-edit-invalid');

    await editor.fill('{ "title": "Edited title", "body": "changed by Uma" }');
    await expect(approval.locator('.problems').count()).resolves.toBe(0);
    expect(await answerTo(page, () => approve.click())).toContain('Edited title');
    const card = page.locator('.tool-card').last();
    await card.locator('summary').first().click();
    await expect(card.getByText('Approved by you with edited arguments.').isVisible()).resolves.toBe(true);
    await expect(card.locator('dd').first().textContent()).resolves.toBe('Edited title');
  });

  test('an approval pending across a reload is still there, and deciding it works', async () => {
    await newChat();
    await sendMessage(page, 'create a note titled Later: survives a reload');
    await approvalCard(page).waitFor();
    const url = page.url();
    await page.reload();
    expect(page.url()).toBe(url);
    const approval = approvalCard(page);
    await approval.waitFor();
    await expect(approval.locator('dd').first().textContent()).resolves.toBe('Later');
    expect(await answerTo(page, () => approval.getByRole('button', { name: 'Approve', exact: true }).click())).toContain('Later');
  });

  test('markdown is rendered, but markup from the model never runs; code blocks have a Copy button', async () => {
    await uma.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    await newChat();
    const message =
      'Show **bold** and <img src=x onerror="window.pwned=1"> <script>window.pwned=2</script> [x](javascript:window.pwned=3)\n```js\nconst answer = 42;\n```\nend';
    await answerTo(page, () => sendMessage(page, message));
    const markdown = page.locator('.message.assistant .markdown').last();
    await expect(markdown.locator('strong').first().textContent()).resolves.toBe('bold');
    await expect(markdown.locator('img, script, [onerror]').count()).resolves.toBe(0);
    await expect(markdown.innerText()).resolves.toContain('<img src=x onerror=');
    await expect(markdown.locator('a[href^="javascript"]').count()).resolves.toBe(0);
    await expect(page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).resolves.toBeUndefined();

    const block = markdown.locator('.code-block');
    await expect(block.locator('.code-bar span').textContent()).resolves.toBe('js');
    await expect(block.locator('.hljs-keyword').first().textContent()).resolves.toBe('const');
    await block.getByRole('button', { name: 'Copy js code' }).click();
    await block.getByRole('button', { name: 'Copy js code' }).filter({ hasText: 'Copied' }).waitFor();
    await expect(page.evaluate(() => navigator.clipboard.readText())).resolves.toBe('const answer = 42;');
    await screenshot(page, '07-markdown');
  });

  test('Enter sends, Shift+Enter adds a line; Stop shows while answering', async () => {
    await newChat();
    const box = page.getByRole('textbox', { name: 'Message' });
    await box.fill('first line');
    await box.press('Shift+Enter');
    await box.type('second line');
    await expect(box.inputValue()).resolves.toBe('first line\nsecond line');
    await expect(page.url()).toBe(`${server.url}/`);
    await answerTo(page, async () => {
      await box.press('Enter');
      await page.getByRole('button', { name: 'Stop answering' }).waitFor();
    });
    await page.getByRole('button', { name: 'Send message' }).waitFor();
    await expect(page.locator('.message.user .bubble').last().innerText()).resolves.toBe('first line\nsecond line');
  });

  test('chats: rename, search by title, and delete after confirming', async () => {
    const sidebar = page.getByRole('navigation', { name: 'Your chats' });
    await sidebar.getByRole('link', { name: /Groceries/i }).click();
    await approvalCard(page).waitFor({ state: 'detached' });
    await sidebar.getByRole('button', { name: /^Rename “.*Groceries/i }).click();
    const rename = page.getByRole('dialog', { name: 'Rename chat' });
    await rename.getByRole('textbox', { name: 'Title' }).fill('Weekly shopping');
    await rename.getByRole('textbox', { name: 'Title' }).press('Enter');
    await rename.waitFor({ state: 'detached' });
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Weekly shopping');

    const search = page.getByRole('searchbox', { name: 'Search chats and messages' });
    await search.fill('shopping');
    await sidebar.getByRole('link').first().filter({ hasText: 'Weekly shopping' }).waitFor();
    await page.waitForFunction(() => document.querySelectorAll('.chat-list .chat-item').length === 1);
    await search.fill('no such title');
    await sidebar.getByText('Nothing matches “no such title”.').waitFor();
    await search.press('Escape');
    await page.waitForFunction(() => document.querySelectorAll('.chat-list .chat-item').length > 1);

    await sidebar.getByRole('button', { name: 'Delete “Weekly shopping”' }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete chat?' });
    await screenshot(page, '08-delete-confirm');
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await expect(sidebar.getByRole('link', { name: 'Weekly shopping' }).isVisible()).resolves.toBe(true);
    await sidebar.getByRole('button', { name: 'Delete “Weekly shopping”' }).click();
    await confirm.getByRole('button', { name: 'Delete' }).click();
    await sidebar.getByRole('link', { name: 'Weekly shopping' }).waitFor({ state: 'detached' });
    await page.waitForURL(`${server.url}/`);
  });

  test('another person, in another browser, sees none of these chats and cannot open them', async () => {
    const umasChat = await page.getByRole('navigation', { name: 'Your chats' }).getByRole('link').first().getAttribute('href');
    const ulf = await openPage(browser);
    try {
      await signIn(ulf.page, server.url, 'Ulf User');
      await ulf.page.getByText('No chats yet.').waitFor();
      await ulf.page.goto(`${server.url}${umasChat}`);
      await ulf.page.getByText('No such chat: it was deleted, or it is not yours.').waitFor();
      await expect(ulf.page.locator('.message').count()).resolves.toBe(0);
      expectNoProblems({ ...ulf, problems: ulf.problems.filter((p) => !p.includes('404')) });
    } finally {
      await ulf.context.close();
    }
  });

  test('no console errors and no Content-Security-Policy violations along the way', () => {
    expectNoProblems(uma);
  });
});

describe('narrow screens and the dark theme', () => {
  test('the sidebar is hidden until opened, and Escape closes it', async () => {
    const phone = await openPage(browser, { colorScheme: 'dark', width: 390, height: 844 });
    try {
      await signIn(phone.page, server.url, 'Uma User');
      const sidebar = phone.page.getByRole('complementary', { name: 'Chats' });
      await expect(sidebar.isVisible()).resolves.toBe(false);
      await phone.page.getByRole('button', { name: 'Open sidebar' }).click();
      await sidebar.getByRole('navigation', { name: 'Your chats' }).getByRole('link').first().waitFor();
      await screenshot(phone.page, '09-narrow-dark-sidebar');
      await phone.page.keyboard.press('Escape');
      await sidebar.waitFor({ state: 'hidden' });
      await phone.page.getByRole('button', { name: 'Open sidebar' }).click();
      await sidebar.getByRole('navigation', { name: 'Your chats' }).getByRole('link').first().click();
      await sidebar.waitFor({ state: 'hidden' });
      await phone.page.locator('.message').first().waitFor();
      await screenshot(phone.page, '10-narrow-dark-chat');
      await phone.page.getByRole('button', { name: /^Tools/ }).click();
      await phone.page.getByRole('dialog', { name: 'Tools' }).getByRole('listitem', { name: 'Countersign' }).waitFor();
      await screenshot(phone.page, '11-narrow-dark-tools');
      await phone.page.keyboard.press('Escape');
      expectNoProblems(phone);
    } finally {
      await phone.context.close();
    }
  });

  test('the dark theme on a wide screen: code, cards and the sidebar stay readable', async () => {
    const dark = await openPage(browser, { colorScheme: 'dark' });
    try {
      await signIn(dark.page, server.url, 'Uma User');
      const chats = dark.page.getByRole('navigation', { name: 'Your chats' });
      await chats.getByRole('link', { name: /Draft/ }).click();
      const card = dark.page.locator('.tool-card').last();
      await card.locator('summary').first().click();
      await card.getByText('What the assistant proposed before your edit').click();
      await screenshot(dark.page, '12-dark-tool-card');
      await chats.getByRole('link', { name: /bold/ }).click();
      await dark.page.locator('.code-block').waitFor();
      await screenshot(dark.page, '13-dark-markdown');
      expectNoProblems(dark);
    } finally {
      await dark.context.close();
    }
  });
});

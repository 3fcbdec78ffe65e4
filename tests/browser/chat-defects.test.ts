/**
 * Defects found walking through the web chat as a new person (issue 19), each as that person
 * would notice it: counts that read "1 tools" or "server(s)", two people with the same initials
 * in the account footer, headings that skip levels, a Tools button with no "Tools" in its name on
 * a phone, Reject's buttons left below the fold, and focus dropped on <body> when a dialog closes.
 * Demo model and the built-in MCP server; a short window, so the conversation soon reaches the fold.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test';
import type { Browser, Locator, Page } from 'playwright-core';
import { counted } from '../../shared/counted.ts';
import { expectNoProblems, launchBrowser, openPage, screenshot, signIn, type OpenPage } from '../support/browser.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { answerTo, approvalCard, connectServer, sendMessage } from './chat-actions.ts';

setDefaultTimeout(30_000);

let server: TestServer;
let browser: Browser;
let uma: OpenPage;
let page: Page;

beforeAll(async () => {
  [server, browser] = await Promise.all([startTestServer(), launchBrowser()]);
  uma = await openPage(browser, { height: 600 });
  page = uma.page;
  await signIn(page, server.url, 'Uma User');
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await server?.[Symbol.asyncDispose]();
});

const hasFocus = (locator: Locator) => locator.evaluate((element) => element === document.activeElement);

/** Whether the element is wholly inside the conversation's scrolled area (to the pixel the browser scrolls by), where the person sees it. */
const inConversationView = (locator: Locator) =>
  locator.evaluate((element) => {
    const box = element.getBoundingClientRect();
    const view = element.closest('[role="log"]')!.getBoundingClientRect();
    return box.top >= view.top - 1 && box.bottom <= view.bottom + 1;
  });

/** Each heading that comes more than one level below the heading before it, as "h1 → h4 Arguments". */
const skippedHeadingLevels = () =>
  page.locator('h1, h2, h3, h4, h5, h6').evaluateAll((headings) =>
    headings.flatMap((heading, i) => {
      const level = Number(heading.tagName[1]);
      const before = i === 0 ? 0 : Number(headings[i - 1]!.tagName[1]);
      return level > before + 1 ? [`h${before} → h${level} ${heading.textContent}`] : [];
    }),
  );

describe('defects from the walk', () => {
  test('two people with the same initials are told apart in the account footer: name, email, and the avatar named in full', async () => {
    const ulf = await openPage(browser);
    try {
      await signIn(ulf.page, server.url, 'Ulf User');
      for (const [person, name, email] of [
        [page, 'Uma User', 'uma@countersign.dev'],
        [ulf.page, 'Ulf User', 'ulf@countersign.dev'],
      ] as const) {
        const sidebar = person.getByRole('complementary', { name: 'Chats' });
        const avatar = sidebar.getByRole('img', { name, exact: true });
        await expect(avatar.textContent()).resolves.toBe('UU');
        await expect(sidebar.getByText(name, { exact: true }).isVisible()).resolves.toBe(true);
        await expect(sidebar.getByText(email, { exact: true }).isVisible()).resolves.toBe(true);
      }
      expectNoProblems(ulf);
    } finally {
      await ulf.close();
    }
  });

  test('counts read "1 connected server", "Tools, 1 server in use" and "N tools", never "(s)"', async () => {
    await connectServer(page, 'Countersign');
    await page.getByText('The assistant can use the tools of 1 connected server. Try:', { exact: true }).waitFor();
    const tools = page.getByRole('button', { name: 'Tools, 1 server in use', exact: true });
    await tools.click();
    const summary = page.getByRole('listitem', { name: 'Countersign' }).locator('summary');
    const shown = (await summary.textContent())!;
    expect(shown).toBe(counted(Number.parseInt(shown, 10), 'tool'));
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
  });

  test('closing a dialog, by Escape or by its button, gives focus back to what opened it', async () => {
    const tools = page.getByRole('button', { name: /^Tools/ });
    for (const close of [() => page.keyboard.press('Escape'), () => page.getByRole('button', { name: 'Close tools' }).click()]) {
      await tools.click();
      await page.getByRole('dialog', { name: 'Tools' }).waitFor();
      await close();
      await page.getByRole('dialog').waitFor({ state: 'detached' });
      await expect(hasFocus(tools)).resolves.toBe(true);
    }
  });

  test('choosing Reject… brings the reason box and its buttons into view and puts the cursor in the box', async () => {
    await sendMessage(page, 'create a note titled Launch: the codes');
    const approval = approvalCard(page);
    await approval.getByRole('button', { name: 'Reject…' }).click();
    const reason = approval.getByRole('textbox', { name: /Reason/ });
    await expect(hasFocus(reason)).resolves.toBe(true);
    for (const shown of [
      reason,
      approval.getByRole('button', { name: 'Reject', exact: true }),
      approval.getByRole('button', { name: 'Back' }),
    ])
      await expect(inConversationView(shown)).resolves.toBe(true);
    await screenshot(page, 'defects-reject-in-view');
    await expect(skippedHeadingLevels()).resolves.toEqual([]);

    await page.keyboard.type('not now');
    await answerTo(page, () => page.keyboard.press('Enter'));
    const card = page.locator('.tool-card').last();
    await card.locator('summary').first().click();
    await card.getByText('Rejected by you: not now.').waitFor();
    // The card's "Arguments" once was an h4 right under the chat's h1.
    await expect(skippedHeadingLevels()).resolves.toEqual([]);
  });

  test('the rename dialog, opened from the keyboard, gives focus back to the Rename button on Escape', async () => {
    const rename = page.getByRole('button', { name: /^Rename/ });
    await rename.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('dialog', { name: 'Rename chat' }).waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    await expect(hasFocus(rename)).resolves.toBe(true);
  });

  test('on a phone the Tools button is still named "Tools" with its count, though it shows only the count', async () => {
    const phone = await openPage(browser, { width: 390, height: 844 });
    try {
      await signIn(phone.page, server.url, 'Uma User');
      const tools = phone.page.getByRole('button', { name: 'Tools, 1 server in use', exact: true });
      // Waited for: the count is 0 until the page has loaded Uma's servers.
      await tools.waitFor();
      await expect(tools.innerText().then((text) => text.trim())).resolves.toBe('1');
      expectNoProblems(phone);
    } finally {
      await phone.close();
    }
  });

  test('no page errors', () => {
    expectNoProblems(uma);
  });
});

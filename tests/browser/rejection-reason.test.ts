/**
 * The reason a person gives for rejecting a tool call, as long as the API accepts it: the web
 * chat's field takes all of it and the chat shows all of it afterwards. The field once stopped at
 * half the server's limit and the agent cut what arrived to that same half.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test';
import type { Browser, Page } from 'playwright-core';
import { LIMITS } from '../../shared/limits.ts';
import { expectNoProblems, launchBrowser, openPage, signIn, type OpenPage } from '../support/browser.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { answerTo, approvalCard, connectServer, sendMessage } from './chat-actions.ts';

setDefaultTimeout(30_000);

let server: TestServer;
let browser: Browser;
let uma: OpenPage;
let page: Page;

beforeAll(async () => {
  [server, browser] = await Promise.all([startTestServer(), launchBrowser()]);
  uma = await openPage(browser);
  page = uma.page;
  await signIn(page, server.url, 'Uma User');
  await connectServer(page, 'Countersign');
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await server?.[Symbol.asyncDispose]();
});

/** Exactly as long as the API allows; it ends in '!', so the server's trimming keeps every character. */
const longReason = 'These notes are shared with the whole team, so keep the codes out of them. '
  .repeat(Math.ceil(LIMITS.reason / 70))
  .slice(0, LIMITS.reason - 1)
  .concat('!');

describe('a rejection reason', () => {
  test('as long as the API accepts fits in the field and is shown whole on the rejected call', async () => {
    expect(longReason).toHaveLength(LIMITS.reason);
    await sendMessage(page, 'create a note titled Secret: the launch codes');
    const approval = approvalCard(page);
    await approval.getByRole('button', { name: 'Reject…' }).click();
    const field = approval.getByRole('textbox', { name: /Reason/ });
    await field.fill(longReason);
    await expect(field.inputValue()).resolves.toBe(longReason);

    await answerTo(page, () => approval.getByRole('button', { name: 'Reject', exact: true }).click());
    const card = page.locator('.tool-card').last();
    await expect(card.locator('.tool-status').textContent()).resolves.toBe('Rejected');
    await card.locator('summary').first().click();
    await expect(card.textContent()).resolves.toContain(`Rejected by you: ${longReason}.`);
  });

  test('no page errors', () => {
    expectNoProblems(uma);
  });
});

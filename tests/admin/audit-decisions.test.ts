/**
 * The audit page says who decided each call and why, in Chromium: Uma rejects a call in the web
 * chat with a reason and another runs by policy; Ada's audit log names Uma on the first, with her
 * reason and that it did not run, and "policy" on the second, with the policy's reason. Screenshots go to
 * test-output/screenshots.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test';
import type { Browser } from 'playwright-core';
import { answerTo, approvalCard, connectServer, sendMessage } from '../browser/chat-actions.ts';
import { launchBrowser, openPage, type OpenPage, screenshot, signIn } from '../support/browser.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

// Each step is a person's few clicks across two browsers and a server.
setDefaultTimeout(30_000);

const REASON = 'Shared notes are read by the whole team: keep the launch codes out';

let server: TestServer;
let browser: Browser;
let uma: OpenPage;

beforeAll(async () => {
  [server, browser] = await Promise.all([startTestServer(), launchBrowser()]);
  uma = await openPage(browser);
  await signIn(uma.page, server.url, 'Uma User');
  await connectServer(uma.page, 'Countersign');
}, 90_000);
afterAll(async () => {
  await browser?.close();
  await server?.[Symbol.asyncDispose]();
});

describe('the audit log', () => {
  test('names the person who rejected a call, with their reason, and "policy" for a call nobody was asked about', async () => {
    const { page } = uma;
    await sendMessage(page, 'create a note titled Secret: the launch codes');
    const approval = approvalCard(page);
    await approval.getByRole('button', { name: 'Reject…' }).click();
    await approval.getByRole('textbox', { name: /Reason/ }).fill(REASON);
    await answerTo(page, () => approval.getByRole('button', { name: 'Reject', exact: true }).click());
    await answerTo(page, () => sendMessage(page, 'What time is it in Europe/Paris?'));
    expect(uma.problems).toEqual([]);

    const ada = await openPage(browser);
    await signIn(ada.page, server.url, 'Ada Admin', '/admin/audit');
    const rejected = ada.page.getByRole('row').filter({ hasText: 'notes_create' });
    await rejected.waitFor();
    const [decision, outcome] = await Promise.all([
      rejected.getByRole('cell').nth(3).innerText(),
      rejected.getByRole('cell').nth(4).innerText(),
    ]);
    expect(decision.split('\n')).toEqual(['rejected', 'by Uma User', `Reason: ${REASON}`]);
    expect(outcome).toBe('not run');

    const byPolicy = ada.page.getByRole('row').filter({ hasText: 'time_now' });
    expect((await byPolicy.getByRole('cell').nth(3).innerText()).split('\n')).toEqual([
      'auto',
      'by policy',
      'Reason: read-only tool of a trusted server',
    ]);
    await screenshot(ada.page, 'admin-audit-decisions', { fullPage: true });
    expect(ada.problems).toEqual([]);
    await ada.close();
  });
});

/**
 * Approvals beyond the single call the demo model makes: several calls in one approval decided
 * one by one and sent together, "Always allow" taking effect, and a pending approval outliving
 * a server restart while the page stays open. The model is a scripted fixture that proposes
 * calls to the built-in MCP server's tools.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test';
import type { Browser, Page } from 'playwright-core';
import { startOpenAIFixture, type OpenAIFixture, type Reply } from '../fixtures/openai-fixture.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { expectNoProblems, launchBrowser, openPage, screenshot, signIn, type OpenPage } from '../support/browser.ts';
import { answerTo, approvalCard, connectServer, sendMessage } from './chat-actions.ts';
import { isTitleRequest } from '../support/title-requests.ts';

setDefaultTimeout(30_000);

const CREATE_NOTE = 'countersign__notes_create';
let fixture: OpenAIFixture;
let server: TestServer;
let browser: Browser;
let person: OpenPage;
let page: Page;
const turns: Reply[] = [];

beforeAll(async () => {
  fixture = startOpenAIFixture();
  fixture.fallback((body) =>
    isTitleRequest(body) ? { kind: 'text', text: 'Notes chat' } : (turns.shift() ?? { kind: 'text', text: 'Done.' }),
  );
  [server, browser] = await Promise.all([
    startTestServer({ LLM_PROVIDER: 'openai', LLM_BASE_URL: fixture.baseURL, LLM_API_KEY: 'sk-test', LLM_MODEL: 'fixture-model' }),
    launchBrowser(),
  ]);
  person = await openPage(browser);
  page = person.page;
  await signIn(page, server.url, 'Uma User');
  await connectServer(page, 'Countersign');
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await server?.[Symbol.asyncDispose]();
  await fixture?.stop();
});

describe('approvals', () => {
  test('several calls in one approval: decided one by one, then sent together; "Always allow" stops the asking', async () => {
    turns.push({
      kind: 'tool_calls',
      calls: [
        { name: CREATE_NOTE, arguments: { title: 'Keep me', body: 'approved' } },
        { name: CREATE_NOTE, arguments: { title: 'Drop me', body: 'rejected' } },
      ],
    });
    await sendMessage(page, 'Make two notes');
    const approval = approvalCard(page);
    await approval.getByText('The assistant wants to call 2 tools.').waitFor();
    const [first, second] = [approval.getByRole('region').nth(0), approval.getByRole('region').nth(1)];
    const send = approval.getByRole('button', { name: 'Send decisions' });

    await first.getByRole('checkbox', { name: /Always allow Create a note/ }).check();
    await first.getByRole('button', { name: 'Approve', exact: true }).click();
    await first.getByText('Will approve', { exact: true }).waitFor();
    await expect(approval.getByText('1 of 2 decided').isVisible()).resolves.toBe(true);
    await expect(send.isDisabled()).resolves.toBe(true);
    await second.getByRole('button', { name: 'Reject…' }).click();
    await second.getByRole('textbox', { name: /Reason/ }).fill('one is enough');
    await second.getByRole('button', { name: 'Reject', exact: true }).click();
    await second.getByText('Will reject: one is enough').waitFor();
    await screenshot(page, '17-two-calls-decided');

    turns.push({ kind: 'text', text: 'Saved one note, skipped the other.' });
    expect(await answerTo(page, () => send.click())).toBe('Saved one note, skipped the other.');
    const statuses = await page.locator('.tool-card .tool-status').allTextContents();
    expect(statuses.slice(-2)).toEqual(['Done', 'Rejected']);

    // Allowed in this chat from now on: the next call runs without an approval card.
    turns.push({ kind: 'tool_calls', calls: [{ name: CREATE_NOTE, arguments: { title: 'Third', body: 'no asking' } }] });
    turns.push({ kind: 'text', text: 'Saved without asking.' });
    expect(await answerTo(page, () => sendMessage(page, 'One more note'))).toBe('Saved without asking.');
    await expect(approvalCard(page).count()).resolves.toBe(0);
    const card = page.locator('.tool-card').last();
    await card.locator('summary').first().click();
    await expect(card.getByText(/Ran without asking/).isVisible()).resolves.toBe(true);
  });

  test('a pending approval outlives a server restart; the open page catches up on its own and the decision goes through', async () => {
    await page.getByRole('button', { name: 'New chat', exact: true }).click();
    turns.push({ kind: 'tool_calls', calls: [{ name: CREATE_NOTE, arguments: { title: 'After restart', body: 'still asked' } }] });
    await sendMessage(page, 'A note, please');
    await approvalCard(page).waitFor();

    await server.stop();
    await page.getByText('Connection lost. Reconnecting…').waitFor();
    server = await server.restart();
    await page.getByText('Connection lost. Reconnecting…').waitFor({ state: 'detached', timeout: 20_000 });

    const approval = approvalCard(page);
    await expect(approval.locator('dd').first().textContent()).resolves.toBe('After restart');
    turns.push({ kind: 'text', text: 'Saved after the restart.' });
    expect(await answerTo(page, () => approval.getByRole('button', { name: 'Approve', exact: true }).click())).toBe(
      'Saved after the restart.',
    );
    await expect(page.locator('.tool-card .tool-status').last().textContent()).resolves.toBe('Done');
  });

  test('no page errors, apart from the connection the restart dropped', () => {
    expectNoProblems({ ...person, problems: person.problems.filter((p) => !/WebSocket|ERR_CONNECTION_REFUSED|Failed to fetch/.test(p)) });
  });
});

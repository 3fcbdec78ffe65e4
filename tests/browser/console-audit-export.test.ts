/**
 * The console's Audit page exports what its filters show: after filtering to rejected calls,
 * "Export CSV" downloads a file that starts with the header row and holds only those calls, and
 * "Export JSON Lines" does the same as JSON.
 */
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from 'bun:test';
import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { AuditStore } from '../../server/audit/audit-store.ts';
import { expectNoProblems, launchBrowser, type OpenPage, openPage, screenshot, signIn } from '../support/browser.ts';
import { signIn as signInOverHttp } from '../support/people.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

setDefaultTimeout(30_000);

let server: TestServer;
let browser: Browser;
let ada: OpenPage;
let page: Page;

beforeAll(async () => {
  [server, browser] = await Promise.all([startTestServer(), launchBrowser()]);
  const uma = await signInOverHttp(server.url, 'uma@countersign.dev');
  const umaId = (await uma.client.api.auth.me.query()).id;
  const chat = await uma.client.api.chats.create.mutate({});
  await uma.client.close();
  const audit = new AuditStore(server.db);
  const decisions = [
    { decision: 'approved', reason: null },
    { decision: 'rejected', reason: 'wrong note, try again' },
  ] as const;
  for (const [i, { decision, reason }] of decisions.entries()) {
    const at = new Date(Date.UTC(2026, 0, 1, 12, i));
    await audit.recordDecision({
      userId: umaId,
      chatId: chat.id,
      serverId: 'countersign-internal',
      serverName: 'Countersign',
      tool: 'notes_create',
      toolCallId: `call-${i}`,
      arguments: { title: `Note ${i}` },
      decision,
      decidedBy: umaId,
      reason,
      requestedAt: at,
      decidedAt: at,
    });
  }
  ada = await openPage(browser);
  page = ada.page;
  await signIn(page, server.url, 'Ada Admin', '/admin/audit');
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await server?.[Symbol.asyncDispose]();
});

async function download(name: string): Promise<{ file: string; text: string }> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name }).click()]);
  return { file: file.suggestedFilename(), text: await readFile(await file.path(), 'utf8') };
}

test('Export CSV and Export JSON Lines download the filtered log', async () => {
  await page.getByRole('heading', { name: 'Audit log', exact: true }).waitFor();
  await page.getByText('Reason: wrong note, try again').waitFor();
  await page.getByRole('combobox', { name: 'Decision' }).selectOption('REJECTED');
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await page.getByRole('link', { name: 'Export CSV' }).and(page.locator('[href*="decision=rejected"]')).waitFor();
  await screenshot(page, 'admin-audit-export');

  const csv = await download('Export CSV');
  expect(csv.file).toMatch(/^countersign-audit-start-\d{4}-\d\d-\d\dT\d{6}Z\.csv$/);
  const [header, ...rows] = csv.text.trimEnd().split('\r\n');
  expect(header).toStartWith('requested_at,decided_at,');
  expect(rows).toHaveLength(1);
  expect(rows[0]).toContain(',rejected,');
  expect(rows[0]).toContain('wrong note, try again');

  const jsonl = await download('Export JSON Lines');
  expect(jsonl.file).toEndWith('.jsonl');
  expect(
    jsonl.text
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line)),
  ).toMatchObject([{ tool_call_id: 'call-1', decision: 'rejected', reason: 'wrong note, try again', arguments: { title: 'Note 1' } }]);
  expectNoProblems(ada);
});

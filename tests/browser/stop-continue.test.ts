/**
 * Stop in a real browser (issue 19): the answer stopped mid-stream stays as far as it was
 * written, marked "Stopped", after a reload too, with Continue (the model is asked to go on from
 * it) and Regenerate; a tool call stopped while it runs shows "Cancelled", not "Running…", and
 * still after a reload.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test';
import type { Page } from 'playwright-core';
import { continueText } from '../../server/agent/prompts.ts';
import type { OpenAIFixture, Reply } from '../fixtures/openai-fixture.ts';
import { expectNoProblems, screenshot, type OpenPage } from '../support/browser.ts';
import { sendMessage } from './chat-actions.ts';
import { type ScriptedChat, startScriptedChat } from './scripted-chat.ts';

setDefaultTimeout(60_000);

const turns: Reply[] = [];
let chat: ScriptedChat;
let uma: OpenPage;
let page: Page;
let fixture: OpenAIFixture;

beforeAll(async () => {
  chat = await startScriptedChat({ title: 'Stopping', turns, connect: 'Countersign' });
  ({ person: uma, page, fixture } = chat);
}, 90_000);

afterAll(async () => {
  await chat?.[Symbol.asyncDispose]();
});

const idle = () => page.waitForFunction(() => document.querySelector('[role="log"]')?.getAttribute('aria-busy') === 'false');
const stopped = () => page.locator('.message.assistant').filter({ has: page.getByText('Stopped', { exact: true }) });

describe('stop keeps what was done', () => {
  test('Uma stops an answer mid-stream: it stays, marked stopped, after a reload, and Continue goes on from it', async () => {
    const words = Array.from({ length: 40 }, (_, n) => `word${n + 1} `);
    turns.push({ kind: 'text', text: words.join(''), tokens: words, delayMs: 250 });
    await sendMessage(page, 'Count some words');
    await page.locator('.message.assistant .markdown').filter({ hasText: 'word2' }).waitFor();
    await page.getByRole('button', { name: 'Stop answering' }).click();
    await stopped().waitFor();
    await idle();
    const kept = (await stopped().locator('.markdown').innerText()).trim();
    expect(kept).toStartWith('word1 word2');
    expect(kept).not.toContain('word40');
    await screenshot(page, 'stop-01-stopped');

    await page.reload();
    await stopped().waitFor();
    await expect(stopped().locator('.markdown').innerText()).resolves.toBe(kept);
    await stopped().getByRole('button', { name: 'Regenerate' }).waitFor();

    turns.push({ kind: 'text', text: 'and the rest.' });
    await stopped().getByRole('button', { name: 'Continue' }).click();
    await page.locator('.message.assistant .markdown').filter({ hasText: 'and the rest.' }).waitFor();
    await idle();
    const request = fixture.requests.at(-1)!.body.messages;
    expect(request.at(-2)).toMatchObject({ role: 'assistant' });
    expect(String(request.at(-2)!.content).trim()).toBe(kept);
    expect(request.at(-1)).toMatchObject({ role: 'user', content: continueText });
    // Only the last answer offers Continue.
    await expect(page.getByRole('button', { name: 'Continue' }).count()).resolves.toBe(0);
  });

  test('a tool call stopped while it runs shows Cancelled, also after a reload, and Retry is not needed', async () => {
    turns.push({ kind: 'tool_calls', calls: [{ name: 'countersign__slow_count', arguments: { to: 60, intervalMs: 500 } }] });
    await sendMessage(page, 'Count slowly to sixty');
    const card = page.locator('.tool-card').last();
    await card.locator('.tool-card-head').filter({ hasText: 'Running…' }).waitFor();
    await page.getByRole('button', { name: 'Stop answering' }).click();
    await card.locator('.tool-card-head').filter({ hasText: 'Cancelled' }).waitFor();
    await idle();
    await screenshot(page, 'stop-02-cancelled');

    await page.reload();
    await page.locator('.tool-card').last().locator('.tool-card-head').filter({ hasText: 'Cancelled' }).waitFor();
    await expect(page.getByText('Running…').count()).resolves.toBe(0);
    await expect(page.getByRole('alert').filter({ hasText: 'This answer failed' }).count()).resolves.toBe(0);
    await page.getByRole('button', { name: 'Send message' }).waitFor({ state: 'attached' });
  });

  test('no console errors along the way', () => {
    expectNoProblems(uma);
  });
});

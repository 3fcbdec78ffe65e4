/**
 * The web chat when things go wrong: the WebSocket drops mid-answer, the model fails a turn, an
 * MCP server is disconnected, the person stops an answer. The model is a scripted
 * OpenAI-compatible fixture, so answers stream slowly enough to interrupt and fail on cue.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test';
import type { Browser, Page } from 'playwright-core';
import { startOpenAIFixture, type OpenAIFixture, type Reply } from '../fixtures/openai-fixture.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { expectNoProblems, launchBrowser, openPage, screenshot, signIn, type OpenPage } from '../support/browser.ts';
import { answerStates, answerTo, connectServer, recordAnswerStates, sendMessage } from './chat-actions.ts';
import { isTitleRequest } from '../support/title-requests.ts';

setDefaultTimeout(30_000);

let fixture: OpenAIFixture;
let server: TestServer;
let browser: Browser;
let person: OpenPage;
let page: Page;
/** Replies for the person's turns, in order; chat titles are answered apart. */
const turns: Reply[] = [];
/** Every frame the page received over its WebSockets, as sent. */
const frames: string[] = [];

beforeAll(async () => {
  fixture = startOpenAIFixture();
  fixture.fallback((body) =>
    isTitleRequest(body) ? { kind: 'text', text: 'Scripted chat' } : (turns.shift() ?? { kind: 'text', text: 'OK.' }),
  );
  [server, browser] = await Promise.all([
    startTestServer({ LLM_PROVIDER: 'openai', LLM_BASE_URL: fixture.baseURL, LLM_API_KEY: 'sk-test', LLM_MODEL: 'fixture-model' }),
    launchBrowser(),
  ]);
  person = await openPage(browser);
  page = person.page;
  // Keeps the page's sockets reachable, so a test can drop them the way a network does.
  await page.addInitScript(() => {
    const sockets: WebSocket[] = [];
    (window as unknown as { openSockets: WebSocket[] }).openSockets = sockets;
    window.WebSocket = class extends WebSocket {
      constructor(url: string | URL, protocols?: string | string[]) {
        super(url, protocols);
        sockets.push(this);
      }
    };
  });
  page.on('websocket', (socket) => socket.on('framereceived', (frame) => frames.push(String(frame.payload))));
  await signIn(page, server.url, 'Uma User');
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await server?.[Symbol.asyncDispose]();
  await fixture?.stop();
});

/** Ids of the distinct token events the page received, with their text, from the tRPC frames. */
function tokenEvents(): Map<string, string> {
  const tokens = new Map<string, string>();
  for (const frame of frames) {
    // tRPC's frame for a tracked event: { id, result: { type: 'data', data: { id: eventId, data: event } } }
    const message = JSON.parse(frame) as { result?: { type?: string; data?: { id?: string; data?: { type?: string; delta?: string } } } };
    const event = message.result?.type === 'data' ? message.result.data : undefined;
    if (event?.id && event.data?.type === 'token') tokens.set(event.id, event.data.delta ?? '');
  }
  return tokens;
}

const draft = () => page.locator('.message.assistant .markdown').last().innerText();

describe('when things go wrong', () => {
  test('the WebSocket drops mid-answer: the chat says so, reconnects, and the answer completes with no gap and no repeat', async () => {
    const words = Array.from({ length: 60 }, (_, i) => `word${i + 1}`);
    const text = words.join(' ');
    turns.push({ kind: 'text', text, tokens: words.map((w, i) => (i === 0 ? w : ` ${w}`)), delayMs: 50 });

    await recordAnswerStates(page);
    await sendMessage(page, 'Tell me a long story');
    await page.waitForFunction(
      () => ([...document.querySelectorAll('.message.assistant .markdown')].at(-1)?.textContent ?? '').length > 20,
    );
    await person.context.setOffline(true);
    await page.evaluate(() => {
      for (const socket of (window as unknown as { openSockets: WebSocket[] }).openSockets) socket.close();
    });
    await page.getByText('Connection lost. Reconnecting…').waitFor();
    await screenshot(page, '14-reconnecting');
    await person.context.setOffline(false);
    await page.getByText('Connection lost. Reconnecting…').waitFor({ state: 'detached' });

    // Whatever the page showed, before the drop, after it and in the replay, was the start of the
    // answer (nothing skipped, nothing twice), and it showed the answer growing, not only finished.
    await page.waitForFunction(() => document.querySelector('[role="log"]')?.getAttribute('aria-busy') === 'false');
    expect(await draft()).toBe(text);
    const shown = (await answerStates(page)).map((state) => state.replace(/▍$/, '').trim());
    for (const state of shown) expect({ state, isStart: text.startsWith(state) }).toEqual({ state, isStart: true });
    expect(shown.some((state) => state.length < text.length)).toBe(true);

    // Across both sockets, every token arrived, in order, and none twice: the distinct events (by id)
    // spell the answer. Tokens written within one tick may come merged in one event (TickMerge), so
    // on a loaded machine there can be fewer events than tokens.
    const received = tokenEvents();
    expect([...received.values()].join('')).toBe(text);
  });

  test('a failed turn says why and offers Retry, which runs it again', async () => {
    turns.push({ kind: 'error', status: 400, message: 'the model refused this one' });
    await sendMessage(page, 'This turn will fail first');
    const failure = page.getByRole('alert').filter({ hasText: 'This answer failed.' });
    await failure.waitFor();
    await expect(failure.innerText()).resolves.toContain('HTTP 400');
    await screenshot(page, '15-failed-turn');

    turns.push({ kind: 'text', text: 'Back on track.' });
    const answer = await answerTo(page, () => failure.getByRole('button', { name: 'Retry' }).click());
    expect(answer).toBe('Back on track.');
    await failure.waitFor({ state: 'detached' });
  });

  test('Stop ends an answer while it streams, keeping what was written', async () => {
    const words = Array.from({ length: 80 }, (_, i) => `slow${i + 1}`);
    turns.push({ kind: 'text', text: words.join(' '), delayMs: 60 });
    await page.getByRole('button', { name: 'New chat', exact: true }).click();
    await sendMessage(page, 'Say a lot, slowly');
    await page.waitForFunction(
      () => ([...document.querySelectorAll('.message.assistant .markdown')].at(-1)?.textContent ?? '').length > 10,
    );
    await page.getByRole('button', { name: 'Stop answering' }).click();
    await page.getByRole('button', { name: 'Send message' }).waitFor();
    await page.waitForFunction(() => document.querySelector('[role="log"]')?.getAttribute('aria-busy') === 'false');
    const kept = await draft();
    expect(kept.startsWith('slow1 slow2')).toBe(true);
    expect(kept).not.toContain('slow80');
  });

  test('an MCP server the chat uses shows as disconnected when it is', async () => {
    await page.getByRole('button', { name: 'New chat', exact: true }).click();
    await connectServer(page, 'Countersign');
    turns.push({ kind: 'text', text: 'Ready.' });
    await answerTo(page, () => sendMessage(page, 'Hello'));
    await expect(page.getByRole('button', { name: /^Tools/ }).textContent()).resolves.toContain('1');

    await page.getByRole('button', { name: /^Tools/ }).click();
    const card = page.getByRole('listitem', { name: 'Countersign' });
    await card.getByRole('button', { name: 'Disconnect' }).click();
    await card.getByText('Not connected').waitFor();
    await page.keyboard.press('Escape');
    const warning = page.getByRole('status').filter({ hasText: 'is not connected' });
    await warning.waitFor();
    await expect(warning.innerText()).resolves.toContain('Countersign is not connected: its tools are unavailable in this chat.');
    await screenshot(page, '16-server-disconnected');

    await warning.getByRole('button', { name: 'Open tools' }).click();
    await page.getByRole('listitem', { name: 'Countersign' }).getByRole('button', { name: 'Connect' }).click();
    await page.getByRole('listitem', { name: 'Countersign' }).getByText('Connected', { exact: true }).waitFor();
    await page.keyboard.press('Escape');
    await warning.waitFor({ state: 'detached' });
  });

  test('signing out in another tab ends the session, and this tab goes to sign-in by itself', async () => {
    const other = await person.context.newPage();
    await other.goto(`${server.url}/`);
    await other.getByRole('button', { name: 'Sign out' }).click();
    await other.getByRole('heading', { name: 'Signed out' }).waitFor();
    await page.getByRole('heading', { name: 'Development sign-in' }).waitFor({ timeout: 20_000 });
    await other.close();
  });

  test('no page errors, apart from the dropped connection itself', () => {
    // Dropped and refused sockets, and the 401 that tells the signed-out tab to sign in again.
    expectNoProblems({ ...person, problems: person.problems.filter((p) => !/WebSocket|ERR_INTERNET_DISCONNECTED|401/.test(p)) });
  });
});

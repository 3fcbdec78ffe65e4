/**
 * The web chat while a turn waits for a start slot, in a real browser. One slot
 * (TURN_START_CONCURRENCY=1) and a scripted model that stays silent for messages starting "hold":
 * Ada's held run keeps the slot until she stops it through the API, so Uma's turn waits exactly as
 * long as the test says, with no timing. What Uma checks: her message, "Waiting for a slot" with
 * how many are ahead, a busy composer that offers Stop, and then her answer; Stop while waiting
 * gives her message back; a reload while waiting still shows the wait and her message, not sent yet.
 */
import { afterAll, afterEach, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test';
import type { Browser, Page } from 'playwright-core';
import { startOpenAIFixture, type OpenAIFixture } from '../fixtures/openai-fixture.ts';
import { eventually } from '../support/eventually.ts';
import { signIn as signInToApi, type Person } from '../support/people.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { expectNoProblems, launchBrowser, openPage, screenshot, signIn, type OpenPage } from '../support/browser.ts';
import { answerTo, sendMessage } from './chat-actions.ts';
import { isTitleRequest } from '../support/title-requests.ts';

setDefaultTimeout(30_000);

let fixture: OpenAIFixture;
let server: TestServer;
let browser: Browser;
let uma: OpenPage;
let page: Page;
let ada: Person;
let ulf: Person;

beforeAll(async () => {
  fixture = startOpenAIFixture();
  fixture.fallback((body) => {
    if (isTitleRequest(body)) return { kind: 'text', text: 'Queued chat' };
    const last = String(body.messages.at(-1)?.content ?? '');
    return last.startsWith('hold') ? { kind: 'silent' } : { kind: 'text', text: `Answer to ${last}.` };
  });
  [server, browser] = await Promise.all([
    startTestServer({
      LLM_PROVIDER: 'openai',
      LLM_BASE_URL: fixture.baseURL,
      LLM_API_KEY: 'sk-test',
      LLM_MODEL: 'fixture-model',
      TURN_START_CONCURRENCY: '1',
    }),
    launchBrowser(),
  ]);
  [ada, ulf] = await Promise.all([signInToApi(server.url, 'ada@countersign.dev'), signInToApi(server.url, 'ulf@countersign.dev')]);
  uma = await openPage(browser);
  page = uma.page;
  await signIn(page, server.url, 'Uma User');
}, 90_000);

/** Runs that hold or wait for the slot, stopped after each test even when it failed, so the next starts with a free slot. */
const silentRuns: { stop(): Promise<unknown> }[] = [];
afterEach(async () => {
  await Promise.all(silentRuns.splice(0).map((run) => run.stop()));
});

afterAll(async () => {
  await Promise.all([ada?.client.close(), ulf?.client.close()]);
  await browser?.close();
  await server?.[Symbol.asyncDispose]();
  await fixture?.stop();
});

/**
 * Starts a run of `person`'s that the model never answers, in a chat of its own (titled, so no
 * title request follows), and returns once it holds the only slot or waits for it; `stop` ends
 * it through the API as its owner.
 */
async function silentRun(person: Person, expected: 'running' | 'queued') {
  const chat = await person.client.api.chats.create.mutate({ title: 'Holding', enabledServers: [] });
  person.client.api.chats.send.mutate({ chatId: chat.id, text: 'hold the slot' }).catch(() => {});
  await eventually(
    async () => (await person.client.api.chats.get.query({ chatId: chat.id })).history.runState.status === expected,
    `${person.email}'s run ${expected}`,
  );
  const run = { stop: () => person.client.api.chats.stop.mutate({ chatId: chat.id }) };
  silentRuns.push(run);
  return run;
}

const composer = () => page.getByRole('textbox', { name: 'Message' });
const userMessages = () => page.locator('.message.user .bubble');
const waiting = () => page.getByRole('status').filter({ hasText: 'Waiting for a slot' });
/** The person's message, marked as not sent yet while its run waits for a slot. */
const unsent = (text: string) => page.locator('.message.user').filter({ hasText: text }).filter({ hasText: 'Not sent yet' });

/** From the empty chat at `/`: types the first message of a new chat and sends it. */
async function startChat(text: string): Promise<void> {
  await page.goto(`${server.url}/`);
  await page.getByRole('heading', { name: 'What can I help with?' }).waitFor();
  await sendMessage(page, text);
  await page.waitForURL(/\/c\/[0-9a-f-]{36}$/);
}

/** The composer is busy with a waiting run: Stop is offered, and Enter sends nothing. */
async function expectComposerBusy(): Promise<void> {
  await page.getByRole('button', { name: 'Stop answering' }).waitFor();
  await expect(page.getByRole('button', { name: 'Send message' }).count()).resolves.toBe(0);
  await expect(page.getByRole('log', { name: 'Conversation' }).getAttribute('aria-busy')).resolves.toBe('true');
  const sentBefore = await userMessages().count();
  await sendMessage(page, 'and another thing');
  await expect(composer().inputValue()).resolves.toBe('and another thing');
  await expect(userMessages().count()).resolves.toBe(sentBefore);
  await composer().fill('');
}

describe('a turn waiting for a slot', () => {
  test('Uma sees her message and her place in the queue; when the runs ahead end her answer streams in', async () => {
    const holder = await silentRun(ada, 'running');
    const ahead = await silentRun(ulf, 'queued');

    await startChat('What is the weather like?');
    await userMessages().filter({ hasText: 'What is the weather like?' }).waitFor();
    await waiting().filter({ hasText: 'Waiting for a slot (1 ahead)…' }).waitFor();
    await expectComposerBusy();
    await screenshot(page, 'queued-01-waiting');

    // Ada's run ends; Ulf's takes the slot and holds it in turn: Uma moves up.
    await holder.stop();
    await waiting().filter({ hasText: 'Waiting for a slot (0 ahead)…' }).waitFor();
    await expectComposerBusy();

    const answer = await answerTo(page, async () => void (await ahead.stop()));
    expect(answer).toBe('Answer to What is the weather like?.');
    await expect(waiting().count()).resolves.toBe(0);
    await expect(userMessages().allInnerTexts()).resolves.toEqual(['What is the weather like?']);
    await page.getByRole('button', { name: 'Send message' }).waitFor();
    await screenshot(page, 'queued-02-answered');
  });

  test('Stop while waiting: the wait ends, nothing was sent, her message is back in the box, and the chat goes on', async () => {
    const holder = await silentRun(ada, 'running');

    await startChat('Never mind this one');
    await waiting().waitFor();
    await page.getByRole('button', { name: 'Stop answering' }).click();
    await waiting().waitFor({ state: 'detached' });
    await page.getByRole('alert').filter({ hasText: 'nothing was sent to the model' }).waitFor();
    await expect(userMessages().count()).resolves.toBe(0);
    await expect(composer().inputValue()).resolves.toBe('Never mind this one');
    await expect(page.getByRole('button', { name: 'Send message' }).isEnabled()).resolves.toBe(true);
    await screenshot(page, 'queued-03-stopped-first-message');

    // The same in a chat that already has an exchange: the message goes back to the box.
    await holder.stop();
    await answerTo(page, () => sendMessage(page, 'First question'));
    const again = await silentRun(ada, 'running');
    await sendMessage(page, 'Second question, never sent');
    await waiting().waitFor();
    await userMessages().filter({ hasText: 'Second question, never sent' }).waitFor();
    await page.getByRole('button', { name: 'Stop answering' }).click();
    await waiting().waitFor({ state: 'detached' });
    await expect(composer().inputValue()).resolves.toBe('Second question, never sent');
    await expect(userMessages().allInnerTexts()).resolves.toEqual(['First question']);

    await again.stop();
    await composer().fill('A new question');
    const answer = await answerTo(page, () => composer().press('Enter'));
    expect(answer).toBe('Answer to A new question.');
    await expect(userMessages().allInnerTexts()).resolves.toEqual(['First question', 'A new question']);
    await expect(fixture.requests.some((r) => String(r.body.messages.at(-1)?.content).includes('never'))).toBe(false);
  });

  test('a reload while waiting still shows the wait, Stop and her message, not sent yet; the answer comes once the slot is free, her message once', async () => {
    const holder = await silentRun(ada, 'running');
    await startChat('Still there after a reload?');
    await waiting().filter({ hasText: 'Waiting for a slot (0 ahead)…' }).waitFor();

    await unsent('Still there after a reload?').waitFor();

    await page.reload();
    await waiting().filter({ hasText: 'Waiting for a slot (0 ahead)…' }).waitFor();
    await page.getByRole('button', { name: 'Stop answering' }).waitFor();
    // Her message is still there, shown as not sent yet (the model has not seen it).
    await unsent('Still there after a reload?').waitFor();
    await expect(userMessages().allInnerTexts()).resolves.toEqual(['Still there after a reload?']);
    await screenshot(page, 'queued-04-reloaded');

    const answer = await answerTo(page, async () => void (await holder.stop()));
    expect(answer).toBe('Answer to Still there after a reload?.');
    await expect(userMessages().allInnerTexts()).resolves.toEqual(['Still there after a reload?']);
    await expect(waiting().count()).resolves.toBe(0);
    await expect(unsent('Still there after a reload?').count()).resolves.toBe(0);
  });

  test('no console errors along the way', () => {
    // A send stopped while it waited is answered 409 (its run never started), and Chromium logs every
    // HTTP error response; the page itself handled it (the message went back to the box).
    expectNoProblems({ problems: uma.problems.filter((p) => !p.endsWith('status of 409 (Conflict)')) });
  });
});

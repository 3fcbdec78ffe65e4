/**
 * What a server asks the person mid-call, answered in the web chat (Chromium, server-everything
 * over stdio, the scripted OpenAI fixture as the model): a generated form accepted (with a value
 * the form refuses first), declined and cancelled; a link opened only after confirming; a
 * sampling request approved twice, and one rejected. Each answer reaches the server, whose tool
 * result says what it got.
 */
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from 'bun:test';
import type { Locator, Page } from 'playwright-core';
import type { Reply } from '../fixtures/openai-fixture.ts';
import { expectNoProblems, type OpenPage, screenshot } from '../support/browser.ts';
import { startBookingServer } from '../fixtures/booking-server.ts';
import { connectServer, sendMessage } from './chat-actions.ts';
import { type EverythingChat, startEverythingChat } from './everything-chat.ts';

setDefaultTimeout(30_000);

const turns: Reply[] = [];
let chat: EverythingChat;
let page: Page;
let person: OpenPage;

beforeAll(async () => {
  chat = await startEverythingChat({ title: 'Questions', turns, entry: { samplingPolicy: 'ask', samplingMaxTokens: 200 } });
  ({ page, person } = chat);
}, 90_000);

afterAll(async () => {
  await chat?.[Symbol.asyncDispose]();
});

/**
 * Sends a message whose turn calls `tool` (the model's next replies are `then`); resolves with the
 * question card the server's request shows.
 */
async function asking(tool: string, args: Record<string, unknown>, title: string, then: Reply[] = []): Promise<Locator> {
  turns.push({ kind: 'tool_calls', calls: [{ name: `everything__${tool}`, arguments: args }] }, ...then);
  await sendMessage(page, `Run ${tool}`);
  const card = page.getByRole('region', { name: title }).last();
  await card.waitFor();
  return card;
}

/** The newest tool card's result text, once the call has finished. */
async function lastResult(): Promise<string> {
  await page.waitForFunction(() => /status-(succeeded|failed)/.test([...document.querySelectorAll('.tool-card')].at(-1)?.className ?? ''));
  return (await page.locator('.tool-card').last().locator('.result-text').first().textContent()) ?? '';
}

test('a form: a value it refuses is said at the field; accepted, the values reach the server', async () => {
  const card = await asking('trigger-elicitation-request', {}, 'Everything asks you');
  await card.getByLabel('String', { exact: true }).fill('Uma Example');
  await card.getByLabel('String with email format').fill('not an address');
  await card.getByLabel('Integer', { exact: true }).fill('500');
  await card.getByRole('button', { name: 'Accept' }).click();
  await card.getByText('Integer must be at most 100.').waitFor();
  await expect(card.getByLabel('String with email format').evaluate((input) => input === document.activeElement)).resolves.toBe(true);
  await screenshot(page, '18-elicitation-form');

  await card.getByLabel('String with email format').fill('uma@example.com');
  await card.getByLabel('Integer', { exact: true }).fill('7');
  await card.getByRole('button', { name: 'Accept' }).click();
  const result = await lastResult();
  expect(result).toContain('Name: Uma Example');
  expect(result).toContain('Email: uma@example.com');
  expect(result).toContain('Favorite Integer: 7');
  await expect(page.getByRole('region', { name: 'Everything asks you' }).count()).resolves.toBe(0);
});

test('a form declined, and one cancelled: the server hears which', async () => {
  const declined = await asking('trigger-elicitation-request', {}, 'Everything asks you');
  await declined.getByRole('button', { name: 'Decline' }).click();
  expect(await lastResult()).toMatch(/declined/i);

  const cancelled = await asking('trigger-elicitation-request', {}, 'Everything asks you');
  await cancelled.getByRole('button', { name: 'Cancel' }).click();
  expect(await lastResult()).toMatch(/cancel/i);
});

test('a link is opened only after the person confirms, in a new tab with no way back to the chat', async () => {
  const card = await asking(
    'trigger-url-elicitation',
    { url: 'https://pay.example.com/consent?invoice=42', message: 'Approve the payment.' },
    'Everything asks you to open a link',
  );
  await expect(card.locator('.link-domain').first().textContent()).resolves.toBe('pay.example.com');
  await card.getByRole('button', { name: 'Open link…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Open pay.example.com?' });
  await dialog.waitFor();
  const opened = page.context().waitForEvent('page');
  await dialog.getByRole('button', { name: 'Open link', exact: true }).click();
  const tab = await opened;
  // The tab cannot reach back into the chat (noopener), and its address is the link as shown.
  await expect(tab.evaluate(() => window.opener)).resolves.toBeNull();
  await tab.close();
  expect(await lastResult()).toMatch(/accept/i);
});

test('sampling: the request and then the model’s reply are each approved, and the server gets the reply', async () => {
  // After the call, the next request the model gets is the server's sampling request.
  const card = await asking(
    'trigger-sampling-request',
    { prompt: 'a haiku about tea', maxTokens: 400 },
    'Everything asks to use the chat’s model',
    [{ kind: 'text', text: 'Steam curls from the cup.' }],
  );
  await card.getByText('Resource trigger-sampling-request context: a haiku about tea').waitFor();
  await card.getByText('You are a helpful test server.').waitFor();
  await screenshot(page, '18-sampling-request');
  await card.getByRole('button', { name: 'Approve' }).click();

  const review = page.getByRole('region', { name: 'The model’s reply to Everything, for you to review' });
  await review.getByText('Steam curls from the cup.').waitFor();
  await review.getByRole('button', { name: 'Send' }).click();
  expect(await lastResult()).toContain('Steam curls from the cup.');
});

test('sampling rejected: the model is never asked, and the server hears no', async () => {
  const before = chat.fixture.requests.length;
  const card = await asking('trigger-sampling-request', { prompt: 'a limerick' }, 'Everything asks to use the chat’s model');
  await card.getByRole('button', { name: 'Reject' }).click();
  expect(await lastResult()).toContain('The person did not let Everything use the model.');
  const sampled = chat.fixture.requests
    .slice(before)
    .filter((r) => r.body.messages.some((m) => m.content === 'You are a helpful test server.'));
  expect(sampled).toEqual([]);
});

test('a server that speaks only 2026-07-28 asks through input_required, and the form answered here books the table', async () => {
  await using booking = startBookingServer();
  await chat.server.catalogue.create({
    name: 'Booking',
    transport: 'streamable-http',
    url: booking.url,
    trusted: true,
    defaultPolicy: 'auto',
  });
  await connectServer(page, 'Booking');
  turns.push({ kind: 'tool_calls', calls: [{ name: 'booking__book_table', arguments: { restaurant: 'Chez Nous' } }] });
  await sendMessage(page, 'Book dinner at Chez Nous');
  const card = page.getByRole('region', { name: 'Booking asks you' });
  await card.getByText('Booking Chez Nous: for how many, and when?').waitFor();
  await card.getByLabel('guests').fill('4');
  await card.getByRole('radio', { name: '19:30' }).check();
  await card.getByRole('button', { name: 'Accept' }).click();
  expect(await lastResult()).toBe('Booked Chez Nous for 4 at 19:30.');
});

test('server-everything’s task-required tool is listed in the tools drawer as not offered, saying why', async () => {
  await page.getByRole('button', { name: /^Tools/ }).click();
  const everything = page.getByRole('listitem', { name: 'Everything' });
  const research = everything.locator('.tool-entry', { has: page.locator('code', { hasText: /^simulate-research-query$/ }) });
  await expect(research.locator('.tool-unavailable').textContent()).resolves.toBe(
    'Not offered to the assistant: needs task-based calls, which Countersign does not support yet.',
  );
  await page.getByRole('button', { name: 'Close tools' }).click();
  // Never offered: no request the model got named it.
  const offered = chat.fixture.requests.flatMap((r) => (r.body.tools ?? []).map((t) => t.function.name));
  expect(offered).not.toContain('everything__simulate-research-query');
});

test('no page errors', () => {
  expectNoProblems(person);
});

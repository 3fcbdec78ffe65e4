/**
 * What a person does in the web chat, by role and label: connect a catalogue server, send a
 * message, find the approval card, wait for the answer an action leads to, hold a send's answer
 * back as a slow network would, and watch an answer change as it streams. The browser itself comes from tests/support/browser.ts.
 */
import type { Page } from 'playwright-core';

/** From the tools panel: connects the named catalogue server and closes the panel. */
export async function connectServer(page: Page, serverName: string): Promise<void> {
  await page.getByRole('button', { name: /^Tools/ }).click();
  const card = page.getByRole('listitem', { name: serverName });
  await card.getByRole('button', { name: 'Connect' }).click();
  await card.getByText('Connected', { exact: true }).waitFor();
  await page.getByRole('button', { name: 'Close tools' }).click();
}

/**
 * Holds back the answer to each chats.send, as a slow network would, until `until` is done: the
 * reply streams in over the socket first. The returned function waits until the composer has taken
 * the answer in, and stops holding.
 */
export async function holdSendAnswers(page: Page, until: () => Promise<unknown>): Promise<() => Promise<void>> {
  const isSend = (url: URL) => url.pathname === '/trpc/chats.send';
  await page.route(isSend, async (route) => {
    const response = await route.fetch();
    await until();
    await route.fulfill({ response });
  });
  return async () => {
    await page.locator('form.composer[aria-busy="false"]').waitFor();
    await page.unroute(isSend);
  };
}

/** Types into the composer and presses Enter, as a person sends a message. */
export async function sendMessage(page: Page, text: string): Promise<void> {
  const box = page.getByRole('textbox', { name: 'Message' });
  await box.fill(text);
  await box.press('Enter');
}

/** The approval card, once it is there. */
export function approvalCard(page: Page) {
  return page.getByRole('region', { name: 'Approval needed' });
}

/**
 * Does `action` (send, approve…) and returns the text of the assistant message it led to, once
 * the run is over: a new message with text, and the conversation no longer busy.
 */
export async function answerTo(page: Page, action: () => Promise<void>): Promise<string> {
  const answers = page.locator('.message.assistant .markdown');
  const before = await answers.count();
  await action();
  await page.waitForFunction(
    (count) =>
      document.querySelectorAll('.message.assistant .markdown').length > count &&
      document.querySelector('[role="log"]')?.getAttribute('aria-busy') === 'false',
    before,
  );
  return (await answers.last().innerText()).trim();
}

/**
 * Records every text the newest assistant message shows from now on, as it changes (streaming, a
 * replay after a reconnect); `answerStates` reads them. Every change is seen, not samples of them.
 */
export async function recordAnswerStates(page: Page): Promise<void> {
  await page.evaluate(() => {
    const states: string[] = [];
    (window as unknown as { answerStates: string[] }).answerStates = states;
    new MutationObserver(() => {
      const text = [...document.querySelectorAll('.message.assistant .markdown')].at(-1)?.textContent ?? '';
      if (text && states.at(-1) !== text) states.push(text);
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
}

export function answerStates(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { answerStates: string[] }).answerStates);
}

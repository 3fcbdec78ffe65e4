/**
 * The whole approval flow on the keyboard alone (issue 19): Tab, Shift+Tab, Enter, Space and
 * Escape, never a click. Uma sends a message, reaches the approval card, edits an argument and
 * approves; another time she rejects with a reason; a card that comes before her send is
 * answered keeps the focus. Every element the focus lands on shows a focus ring (an outline or a
 * box shadow while it matches :focus-visible), the focus is never left on <body>, and the live
 * region says when the answer is there. The model is the scripted OpenAI fixture proposing calls
 * to the built-in MCP server's notes tool.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test';
import type { Locator, Page } from 'playwright-core';
import type { Reply } from '../fixtures/openai-fixture.ts';
import { expectNoProblems, screenshot } from '../support/browser.ts';
import { approvalCard, holdSendAnswers } from './chat-actions.ts';
import { type ScriptedChat, startScriptedChat } from './scripted-chat.ts';

setDefaultTimeout(60_000);

const turns: Reply[] = [];
let chat: ScriptedChat;
let page: Page;

beforeAll(async () => {
  chat = await startScriptedChat({ title: 'Notes by keyboard', turns, connect: 'Countersign' });
  page = chat.page;
}, 120_000);

afterAll(async () => {
  await chat?.[Symbol.asyncDispose]();
});

interface Focused {
  /** The focused element, as a person would name it. */
  element: string;
  /** Its focus ring, or null when nothing shows where the focus is. */
  ring: string | null;
}

/**
 * The focused element and the ring it shows: its own outline or box shadow while it matches
 * :focus-visible, or the outline of the box drawn around it (the composer's). Only outlines count
 * on the boxes around it, as a card's shadow is there with or without the focus.
 */
function focused(person: Page): Promise<Focused> {
  return person.evaluate(() => {
    const active = document.activeElement;
    if (!(active instanceof HTMLElement) || active === document.body) return { element: '<body>', ring: null };
    const label = 'labels' in active ? (active.labels as NodeListOf<HTMLLabelElement> | null)?.[0] : undefined;
    const name = (active.getAttribute('aria-label') ?? label?.textContent ?? active.textContent ?? '').trim().slice(0, 60);
    const element = `<${active.tagName.toLowerCase()}> ${name}`;
    if (!active.matches(':focus-visible')) return { element, ring: null };
    let box: HTMLElement | null = active;
    for (let depth = 0; box && depth < 3; depth++, box = box.parentElement) {
      const style = getComputedStyle(box);
      if (style.outlineStyle !== 'none' && Number.parseFloat(style.outlineWidth) > 0) {
        return { element, ring: `${style.outlineWidth} ${style.outlineStyle} outline${depth ? ' on its box' : ''}` };
      }
      if (depth === 0 && style.boxShadow !== 'none') return { element, ring: `box shadow ${style.boxShadow}` };
    }
    return { element, ring: null };
  });
}

/** The focus is somewhere other than <body>, and shows it. */
async function expectVisibleFocus(person: Page): Promise<Focused> {
  const now = await focused(person);
  expect(now).toEqual({ element: now.element, ring: expect.any(String) });
  expect(now.element).not.toBe('<body>');
  return now;
}

const hasFocus = (target: Locator) => target.evaluate((element) => element === document.activeElement);

/** Waits until `target` has the focus (it moves there by itself: a card appears, a mode opens), then checks its ring. */
async function expectFocusOn(person: Page, target: Locator): Promise<void> {
  await person.waitForFunction((element) => element === document.activeElement, await target.elementHandle());
  await expectVisibleFocus(person);
}

/** Presses `key` (Tab or Shift+Tab) until `target` has the focus, checking the ring of every element on the way. */
async function moveFocusTo(person: Page, target: Locator, key: 'Tab' | 'Shift+Tab' = 'Tab'): Promise<void> {
  const passed: string[] = [];
  while (!(await hasFocus(target))) {
    if (passed.length === 40) throw new Error(`${key} never reached the target; it passed ${passed.join(', ')}`);
    await person.keyboard.press(key);
    passed.push((await expectVisibleFocus(person)).element);
  }
}

/** The live region's newest line now (null before the first); `announcedSince` waits for a newer line. */
const newestLine = (person: Page) =>
  person.evaluateHandle(() => document.querySelector('[role="status"][aria-label="Announcements"] p:last-child'));

/**
 * Waits until the live region says `line` after `mark`. The region keeps its last few lines, each
 * a new element: lines after the mark are new, and all of them are once the mark itself is dropped.
 */
async function announcedSince(person: Page, mark: Awaited<ReturnType<typeof newestLine>>, line: string): Promise<void> {
  await person.waitForFunction(
    ([before, said]) => {
      const lines = [...document.querySelectorAll('[role="status"][aria-label="Announcements"] p')];
      const newer = before && lines.includes(before) ? lines.slice(lines.indexOf(before) + 1) : lines;
      return newer.some((element) => element.textContent === said);
    },
    [mark, line] as const,
  );
}

/** Types `text` into the composer, which has the focus, sends it with Enter and waits for the approval card to take the focus. */
async function sendAndReachApproval(text: string): Promise<Locator> {
  await expectFocusOn(page, page.getByRole('textbox', { name: 'Message' }));
  const mark = await newestLine(page);
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
  const card = approvalCard(page);
  await expectFocusOn(page, card);
  await announcedSince(page, mark, 'Approval needed: 1 tool call');
  return card;
}

/** The newest tool card's status, and everything it shows (arguments included) once unfolded. */
async function lastToolCall(person: Page): Promise<{ status: string; text: string }> {
  const card = person.locator('.tool-card').last();
  return { status: (await card.locator('.tool-status').textContent()) ?? '', text: (await card.textContent()) ?? '' };
}

describe('the approval flow on the keyboard alone', () => {
  test('send, reach the card, edit an argument and approve: every stop shows its focus, and the answer is announced', async () => {
    turns.push(
      { kind: 'tool_calls', calls: [{ name: 'countersign__notes_create', arguments: { title: 'Paris', body: 'Call at 9' } }] },
      { kind: 'text', text: 'Noted: call Paris at 10.' },
    );
    // From the Tools button, where closing the tools drawer left the focus.
    await moveFocusTo(page, page.getByRole('textbox', { name: 'Message' }));
    const card = await sendAndReachApproval('Make a note to call Paris at 9');

    await moveFocusTo(page, card.getByRole('button', { name: 'Edit', exact: true }));
    await page.keyboard.press('Enter');
    const editor = card.getByRole('textbox', { name: /^Arguments for Create a note/ });
    await expectFocusOn(page, editor);
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type(JSON.stringify({ title: 'Paris', body: 'Call at 10' }));
    await screenshot(page, 'keyboard-01-editing-arguments');

    const mark = await newestLine(page);
    await moveFocusTo(page, card.getByRole('button', { name: 'Approve with these arguments' }));
    await page.keyboard.press('Enter');
    // The card goes; the focus goes back to the composer, not to <body> with the card.
    await expectFocusOn(page, page.getByRole('textbox', { name: 'Message' }));
    await announcedSince(page, mark, 'Countersign answered');
    await page.getByText('Noted: call Paris at 10.').waitFor();
    const call = await lastToolCall(page);
    expect(call.status).toBe('Done');
    expect(call.text).toContain('Approved by you with edited arguments.');
    expect(call.text).toContain('"body": "Call at 10"');
    await screenshot(page, 'keyboard-02-approved-edited');
  });

  test('reject with a reason: Space opens it, Escape steps back with the reason kept, Enter sends it', async () => {
    turns.push(
      { kind: 'tool_calls', calls: [{ name: 'countersign__notes_create', arguments: { title: 'Launch', body: 'The codes' } }] },
      { kind: 'text', text: 'I left the codes out.' },
    );
    // Back up to the last answer's Copy button and down to the composer again, every stop on the way showing its focus.
    const composer = page.getByRole('textbox', { name: 'Message' });
    await moveFocusTo(page, page.locator('.message.assistant').last().getByRole('button', { name: 'Copy message' }), 'Shift+Tab');
    await moveFocusTo(page, composer);
    const card = await sendAndReachApproval('Note the launch codes');

    const rejectOpener = card.getByRole('button', { name: 'Reject…' });
    await moveFocusTo(page, rejectOpener);
    await page.keyboard.press('Space');
    const reason = card.getByRole('textbox', { name: /^Reason/ });
    await expectFocusOn(page, reason);
    await page.keyboard.type('no secrets in notes');
    await page.keyboard.press('Escape');
    await expectFocusOn(page, rejectOpener);
    await page.keyboard.press('Space');
    await expectFocusOn(page, reason);
    await expect(reason.inputValue()).resolves.toBe('no secrets in notes');
    await screenshot(page, 'keyboard-03-reject-reason');

    const mark = await newestLine(page);
    await moveFocusTo(page, card.getByRole('button', { name: 'Reject', exact: true }));
    await page.keyboard.press('Enter');
    await expectFocusOn(page, page.getByRole('textbox', { name: 'Message' }));
    await announcedSince(page, mark, 'Countersign answered');
    await page.getByText('I left the codes out.').waitFor();
    const call = await lastToolCall(page);
    expect(call.status).toBe('Rejected');
    expect(call.text).toContain('Rejected by you: no secrets in notes.');
    await screenshot(page, 'keyboard-04-rejected');
  });

  test('a card that takes the focus before the send is answered keeps it: the composer does not take it back', async () => {
    turns.push(
      { kind: 'tool_calls', calls: [{ name: 'countersign__notes_create', arguments: { title: 'Rome', body: 'Call at 8' } }] },
      { kind: 'text', text: 'Noted: call Rome at 8.' },
    );
    // The send's answer reaches the page only once the stream has brought the card and it has the focus.
    const answered = await holdSendAnswers(page, () => expectFocusOn(page, approvalCard(page)));
    const card = await sendAndReachApproval('Make a note to call Rome at 8');
    await answered();
    expect(await hasFocus(card)).toBe(true);

    await moveFocusTo(page, card.getByRole('button', { name: 'Approve', exact: true }));
    await page.keyboard.press('Enter');
    await page.getByText('Noted: call Rome at 8.').waitFor();
    expect((await lastToolCall(page)).status).toBe('Done');
  });

  test('no page errors', () => {
    expectNoProblems(chat.person);
  });
});

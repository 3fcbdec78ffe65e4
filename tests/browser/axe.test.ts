/**
 * axe-core (tests/support/axe.ts) finds no serious or critical WCAG 2.1 A/AA violation in any
 * state of the web chat or the admin console, in the light and the dark theme (issue 19). Each
 * state is entered once, with data in it, and checked in both themes by emulating the system's
 * colour scheme; the one-line counts per state are printed for the closing note, and
 * screenshots go to test-output/screenshots/axe-*. The model is the scripted OpenAI fixture
 * proposing calls to the built-in MCP server's tools.
 */
import { afterAll, beforeAll, describe, setDefaultTimeout, test } from 'bun:test';
import type { Page } from 'playwright-core';
import type { Reply } from '../fixtures/openai-fixture.ts';
import { accessibilityProblems } from '../support/axe.ts';
import { expectNoProblems, openPage, type OpenPage, screenshot, signIn } from '../support/browser.ts';
import { answerTo, approvalCard, sendMessage } from './chat-actions.ts';
import { type ScriptedChat, startScriptedChat } from './scripted-chat.ts';

setDefaultTimeout(60_000);

const THEMES = ['light', 'dark'] as const;
const ANSWER = [
  '## Paris, right now',
  '',
  'It is **morning** in Paris; see [the time zone list](https://www.iana.org/time-zones) for others.',
  '',
  '- `Europe/Paris` is UTC+01:00 in winter',
  '- and UTC+02:00 in summer',
  '',
  '> Times are read from the server’s clock.',
  '',
  '```ts',
  "const now = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Paris' }).format(new Date());",
  '```',
].join('\n');
const NOTE = (title: string, body: string) => ({ name: 'countersign__notes_create', arguments: { title, body } });
const turns: Reply[] = [];
let chat: ScriptedChat;
let page: Page;
let ada: OpenPage;

beforeAll(async () => {
  chat = await startScriptedChat({ title: 'Paris time', turns, connect: 'Countersign' });
  page = chat.page;
  turns.push(
    { kind: 'tool_calls', calls: [{ name: 'countersign__time_now', arguments: { timezone: 'Europe/Paris' } }] },
    { kind: 'text', text: ANSWER },
  );
  await answerTo(page, () => sendMessage(page, 'What time is it in Paris? Show me how to get it in code.'));
  turns.push({ kind: 'tool_calls', calls: [NOTE('Paris', 'Call at 9')] });
  await sendMessage(page, 'Make a note to call Paris at 9');
  await approvalCard(page).getByRole('button', { name: 'Reject…' }).waitFor();
}, 120_000);

afterAll(async () => {
  await chat?.[Symbol.asyncDispose]();
});

/** One state of a page: how to get there from the one before, and back out of it when it is a layer over the page. */
interface PageState {
  name: string;
  enter: (page: Page) => Promise<unknown>;
  leave?: (page: Page) => Promise<unknown>;
}

/**
 * The web chat's states, in order on one conversation that has an answer with Markdown, a code
 * block and a finished tool call, then an approval waiting, then one of several calls decided.
 * The approval inbox is opened while the approval waits; the search finds a word of the answer.
 */
const CHAT_STATES: PageState[] = [
  {
    name: 'chat-approval-card',
    enter: (p) => approvalCard(p).getByText('The assistant wants to call a tool.').waitFor(),
  },
  {
    name: 'chat-approval-editing',
    enter: async (p) => {
      await approvalCard(p).getByRole('button', { name: 'Edit', exact: true }).click();
      // A wrong value, so the editor's problems are shown too.
      await approvalCard(p)
        .getByRole('textbox', { name: /^Arguments for/ })
        .fill('{ "title": 5 }');
      await approvalCard(p).locator('.problems li').first().waitFor();
    },
    leave: (p) => approvalCard(p).getByRole('button', { name: 'Cancel editing' }).click(),
  },
  {
    name: 'chat-approval-reject-reason',
    enter: async (p) => {
      await approvalCard(p).getByRole('button', { name: 'Reject…' }).click();
      await approvalCard(p)
        .getByRole('textbox', { name: /Reason/ })
        .fill('Not today');
    },
    leave: (p) => approvalCard(p).getByRole('button', { name: 'Back', exact: true }).click(),
  },
  {
    name: 'chat-approval-inbox',
    enter: async (p) => {
      await p.getByRole('button', { name: /^Approvals/ }).click();
      await p.getByRole('dialog', { name: 'Waiting approvals' }).getByRole('listitem').first().waitFor();
    },
    leave: (p) => p.keyboard.press('Escape'),
  },
  {
    name: 'chat-conversation',
    enter: async (p) => {
      turns.push({ kind: 'text', text: 'Noted: call Paris at 9.' });
      await answerTo(p, () => approvalCard(p).getByRole('button', { name: 'Approve', exact: true }).click());
      // The finished tool call unfolded, so its arguments and result are checked too.
      await p.locator('.tool-card summary').first().click();
    },
  },
  {
    name: 'chat-composer-files',
    enter: async (p) => {
      await p.locator('.composer input[type="file"]').setInputFiles([
        { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('Call Paris at 9.') },
        { name: 'setup.exe', mimeType: 'application/x-msdownload', buffer: Buffer.from('MZ') },
      ]);
      await p.getByRole('list', { name: 'Attached files' }).getByRole('alert').waitFor();
      await p.waitForFunction(() => !document.querySelector('.file-chip[aria-busy="true"]'));
    },
    leave: async (p) => {
      await p.getByRole('button', { name: 'Remove notes.txt' }).click();
      await p.getByRole('button', { name: 'Remove setup.exe' }).click();
    },
  },
  {
    name: 'chat-tools-drawer',
    enter: async (p) => {
      await p.getByRole('button', { name: /^Tools/ }).click();
      await p.getByRole('listitem', { name: 'Countersign' }).getByText('Connected', { exact: true }).waitFor();
    },
    leave: (p) => p.getByRole('button', { name: 'Close tools' }).click(),
  },
  {
    name: 'chat-settings-dialog',
    enter: async (p) => {
      await p.getByRole('button', { name: 'Settings' }).click();
      await p.getByRole('dialog', { name: 'Settings' }).getByRole('textbox', { name: 'Custom instructions' }).waitFor();
    },
    leave: (p) => p.getByRole('dialog', { name: 'Settings' }).getByRole('button', { name: 'Cancel' }).click(),
  },
  {
    name: 'chat-export-menu',
    enter: async (p) => {
      await p.getByRole('button', { name: 'Export', exact: true }).click();
      await p.getByRole('group', { name: 'Export this chat as' }).waitFor();
    },
    leave: (p) => p.keyboard.press('Escape'),
  },
  {
    name: 'chat-search-results',
    enter: async (p) => {
      await p.getByRole('searchbox', { name: 'Search chats and messages' }).fill('morning');
      await p.getByRole('list', { name: 'Search results' }).locator('mark').first().waitFor();
    },
    leave: (p) => p.getByRole('searchbox', { name: 'Search chats and messages' }).press('Escape'),
  },
  {
    name: 'chat-approval-several-one-held',
    enter: async (p) => {
      turns.push({ kind: 'tool_calls', calls: [NOTE('Lyon', 'Call at 11'), NOTE('Nice', 'Call at 12')] });
      await sendMessage(p, 'Make notes for Lyon and Nice');
      const first = approvalCard(p).getByRole('region').first();
      await first.getByRole('button', { name: 'Approve', exact: true }).click();
      await first.getByText('Will approve', { exact: true }).waitFor();
    },
    leave: async (p) => {
      turns.push({ kind: 'text', text: 'Both noted.' });
      await answerTo(p, () => approvalCard(p).getByRole('button', { name: 'Approve the rest' }).click());
    },
  },
];

/** The admin console's pages, each with data: the seeded catalogue, the people signed in, a token, the calls above. */
const ADMIN_STATES: PageState[] = [
  { name: 'admin-servers', enter: (p) => p.getByRole('row', { name: 'Countersign' }).waitFor() },
  {
    name: 'admin-server',
    enter: async (p) => {
      await p.getByRole('link', { name: 'Countersign', exact: true }).click();
      await p.getByRole('row', { name: 'notes_create' }).waitFor();
    },
  },
  {
    name: 'admin-server-new-with-problem',
    enter: async (p) => {
      await p.getByRole('link', { name: 'Catalogue' }).first().click();
      await p.getByRole('link', { name: 'Add server' }).click();
      await p.getByRole('textbox', { name: 'Name', exact: true }).fill('Tracker');
      await p.getByLabel('URL (http or https)').fill('http://127.0.0.1:9/mcp');
      const auth = p.getByRole('group', { name: 'Authentication' });
      await auth.getByRole('radio', { name: 'A service identity (client credentials)' }).check();
      await auth.getByRole('textbox', { name: 'Client id' }).fill('countersign');
      // No secret: the form shows its problem beside the field.
      await p.getByRole('button', { name: 'Add to catalogue' }).click();
      await p.locator('[aria-invalid="true"]').waitFor();
    },
  },
  {
    name: 'admin-users',
    enter: async (p) => {
      await p.getByRole('link', { name: 'Users' }).click();
      await p.getByRole('row', { name: /Uma User/ }).waitFor();
    },
  },
  {
    name: 'admin-users-confirm-dialog',
    enter: async (p) => {
      await p
        .getByRole('row', { name: /Uma User/ })
        .getByRole('button', { name: /^Disable/ })
        .click();
      await p.getByRole('dialog', { name: 'Disable Uma User?' }).waitFor();
    },
    leave: (p) => p.getByRole('dialog', { name: 'Disable Uma User?' }).getByRole('button', { name: 'Cancel' }).click(),
  },
  {
    name: 'admin-tokens',
    enter: async (p) => {
      await p.getByRole('link', { name: 'Service tokens' }).click();
      await p.getByLabel('Label (what uses it)').fill('Reporting service');
      await p.getByLabel('Service account name (created if new)').fill('reporting');
      await p.getByRole('button', { name: 'Issue token' }).click();
      await p.getByRole('row', { name: 'Reporting service' }).waitFor();
    },
  },
  {
    name: 'admin-audit',
    enter: async (p) => {
      await p.getByRole('link', { name: 'Audit log' }).click();
      await p
        .getByRole('cell', { name: /^notes_create/ })
        .first()
        .waitFor();
    },
  },
];

/**
 * Enters `state`, checks it in both themes with a screenshot of each, and leaves it (even when a
 * check fails, so the next state starts where it expects); fails listing both themes' findings.
 */
async function checkState(p: Page, state: PageState): Promise<void> {
  await state.enter(p);
  const problems: string[] = [];
  try {
    for (const theme of THEMES) {
      await p.emulateMedia({ colorScheme: theme });
      problems.push(await accessibilityProblems(p, `${state.name}, ${theme}`));
      await screenshot(p, `axe-${state.name}-${theme}`, { fullPage: state.name.startsWith('admin') });
    }
  } finally {
    await p.emulateMedia({ colorScheme: 'light' });
    await state.leave?.(p);
  }
  const found = problems.filter(Boolean);
  if (found.length) throw new Error(found.join('\n\n'));
}

describe('no serious or critical accessibility violations, light and dark', () => {
  for (const state of CHAT_STATES) test(state.name, () => checkState(page, state));

  test('admin console, signed in as Ada', async () => {
    ada = await openPage(chat.browser);
    await signIn(ada.page, chat.server.url, 'Ada Admin', '/admin');
  });
  for (const state of ADMIN_STATES) test(state.name, () => checkState(ada.page, state));

  test('no page errors', () => {
    expectNoProblems(chat.person);
    expectNoProblems(ada);
  });
});

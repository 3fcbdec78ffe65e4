/**
 * The web chat in German leaves no English behind. Uma chooses Deutsch, then walks every page and
 * state reachable without signing in to an MCP server: the new chat, a streamed answer, a tool
 * approval and its card, a server's form with a value it refuses, an edited message's versions, a
 * stopped answer, a failed one, the composer's pickers, the export menu, the
 * chat's instructions, the model picker, the tools panel, the settings, rename and delete, search
 * results, archived chats and the approval inbox. On each, every visible text and every
 * aria-label, title, placeholder and alt is compared with the English catalogue
 * (shared/i18n/en.ts, less the console's and the files' areas and the words German shares;
 * messages with something put in are matched as patterns), and what leaked is named with where.
 */
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from 'bun:test';
import type { Browser, Page } from 'playwright-core';
import { EVERYTHING_SERVER_ID } from '../../server/mcp/catalogue-seed.ts';
import { de } from '../../shared/i18n/de.ts';
import { en } from '../../shared/i18n/en.ts';
import { postGraphQL, signInAdmin } from '../admin/support.ts';
import { type OpenAIFixture, type Reply, startOpenAIFixture } from '../fixtures/openai-fixture.ts';
import { expectNoProblems, launchBrowser, type OpenPage, openPage, screenshot, signIn } from '../support/browser.ts';
import { signIn as signInPerson } from '../support/people.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { answerTo, connectServer } from './chat-actions.ts';
import { isTitleRequest } from '../support/title-requests.ts';

setDefaultTimeout(60_000);

const CREATE_NOTE = 'countersign__notes_create';
let fixture: OpenAIFixture;
let server: TestServer;
let browser: Browser;
let uma: OpenPage;
let page: Page;
const turns: Reply[] = [];

/** One English catalogue message: its key, and whether a text on the page is it. */
interface English {
  key: string;
  is: (text: string) => boolean;
}

/** A stand-in for what a message puts in; formatting a number from it gives NaN. */
const PUT_IN = '\u2063';

function leaves(value: unknown, key: string): [string, unknown][] {
  if (typeof value === 'object' && value !== null) return Object.entries(value).flatMap(([k, v]) => leaves(v, key ? `${key}.${k}` : k));
  return [[key, value]];
}

/** A message with something put in as a pattern; none when what stays of it is too short to tell it apart. */
function pattern(text: string): RegExp | undefined {
  const parts = text.split(new RegExp(`${PUT_IN}|NaN`));
  if (parts.join('').replace(/[^\p{L}]/gu, '').length < 4) return undefined;
  return new RegExp(`^${parts.map((part) => part.trim().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.+')}$`, 's');
}

function sample(message: unknown): string | undefined {
  if (typeof message === 'string') return message;
  if (typeof message !== 'function') return undefined;
  try {
    return String(message(...Array.from({ length: message.length }, () => PUT_IN)));
  } catch {
    return undefined;
  }
}

function englishCatalogue(): English[] {
  const german = new Map(leaves(de, ''));
  return leaves(en, '')
    .filter(([key]) => !key.startsWith('console.') && !key.startsWith('files.'))
    .flatMap(([key, message]): English[] => {
      const text = sample(message);
      if (!text?.trim() || text === sample(german.get(key))) return [];
      if (!text.includes(PUT_IN) && !text.includes('NaN')) return [{ key, is: (seen) => seen === text.trim() }];
      const matcher = pattern(text);
      return matcher ? [{ key, is: (seen) => matcher.test(seen) }] : [];
    });
}

const english = englishCatalogue();

interface Seen {
  text: string;
  where: string;
}

/** Every text the page shows now, and every aria-label, title, placeholder and alt, each with where it is. */
function seenOn(target: Page): Promise<Seen[]> {
  return target.evaluate(() => {
    const describe = (element: Element) => {
      const path: string[] = [];
      for (let at: Element | null = element; at && at !== document.body && path.length < 4; at = at.parentElement) {
        const classes = [...at.classList].slice(0, 2).join('.');
        path.unshift(`${at.tagName.toLowerCase()}${classes ? `.${classes}` : ''}`);
      }
      return path.join(' > ');
    };
    const shown = (element: Element) => element.checkVisibility() || (element.closest('select')?.checkVisibility() ?? false);
    const seen: { text: string; where: string }[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      const text = node.textContent?.trim();
      if (parent && text && !['SCRIPT', 'STYLE'].includes(parent.tagName) && shown(parent)) seen.push({ text, where: describe(parent) });
    }
    for (const element of document.body.querySelectorAll('[aria-label], [title], [placeholder], [alt]')) {
      for (const name of ['aria-label', 'title', 'placeholder', 'alt']) {
        const text = element.getAttribute(name)?.trim();
        if (text) seen.push({ text, where: `${describe(element)} [${name}]` });
      }
    }
    return seen;
  });
}

/** What of the English catalogue the page shows now: "key: text (where)". */
async function englishLeft(state: string): Promise<string[]> {
  await screenshot(page, `i18n-walk-${state}`);
  return (await seenOn(page)).flatMap(({ text, where }) => {
    const found = english.find((message) => message.is(text));
    return found ? [`${found.key}: “${text}” (${where})`] : [];
  });
}

async function send(text: string): Promise<void> {
  const box = page.getByRole('textbox', { name: de.composer.message });
  await box.fill(text);
  await box.press('Enter');
}

const approvalCard = () => page.getByRole('region', { name: de.approval.needed });
const chatLink = (title: string) =>
  page.getByRole('navigation', { name: de.sidebar.yourChats }).getByRole('link', { name: title, exact: true });
const chatItemButton = async (title: string, label: string) => {
  await chatLink(title).hover();
  return page.getByRole('button', { name: label });
};

beforeAll(async () => {
  fixture = startOpenAIFixture();
  fixture.fallback((body) =>
    isTitleRequest(body) ? { kind: 'text', text: 'Notizen' } : (turns.shift() ?? { kind: 'text', text: 'Erledigt.' }),
  );
  [server, browser] = await Promise.all([
    startTestServer({ LLM_PROVIDER: 'openai', LLM_BASE_URL: fixture.baseURL, LLM_API_KEY: 'sk-test', LLM_MODEL: 'fixture-model' }),
    launchBrowser(),
  ]);
  // A second model, so that the header offers a choice.
  const ada = await signInAdmin(server.url);
  const added = await postGraphQL(server.url, 'mutation($input: ModelInput!) { createModel(input: $input) { id } }', {
    headers: { cookie: ada.cookie },
    variables: { input: { name: 'Zweites Modell', provider: 'OPENAI', baseUrl: fixture.baseURL, modelId: 'second-model' } },
  });
  expect(added.body.errors).toBeUndefined();
  // Its calls run without asking, so that its form is what the person sees.
  await server.catalogue.update(EVERYTHING_SERVER_ID, { trusted: true, defaultPolicy: 'auto' });
  uma = await openPage(browser);
  page = uma.page;
  await signIn(page, server.url, 'Uma User');
  await connectServer(page, 'Countersign');
  await connectServer(page, 'Everything');
  // The walk would see English: in English, the new chat's words are all found.
  const inEnglish = (await englishLeft('english')).map((leak) => leak.slice(0, leak.indexOf(':')));
  expect(inEnglish).toEqual(expect.arrayContaining(['newChat.greeting', 'sidebar.newChat', 'composer.send', 'chatHeader.toolsInUse']));
  await page.getByRole('button', { name: 'Settings' }).click();
  const settings = page.getByRole('dialog', { name: 'Settings' });
  await settings.getByRole('combobox', { name: 'Language' }).selectOption({ label: 'Deutsch' });
  await settings.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('heading', { name: de.newChat.greeting }).waitFor();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.[Symbol.asyncDispose]();
  await fixture?.stop();
});

test('the new chat, with its model picker', async () => {
  await page.getByRole('combobox', { name: de.models.label }).waitFor();
  expect(await englishLeft('new-chat')).toEqual([]);
});

test('a streamed answer', async () => {
  turns.push({ kind: 'text', text: 'Hallo Uma, schön dich zu sehen.' });
  await answerTo(page, () => send('Hallo'));
  expect(await englishLeft('answer')).toEqual([]);
});

test('a tool call waiting for approval, then its card once approved', async () => {
  turns.push({ kind: 'tool_calls', calls: [{ name: CREATE_NOTE, arguments: { title: 'Einkauf', body: 'Eier, Milch' } }] });
  await send('Schreib eine Notiz');
  await approvalCard().waitFor();
  expect(await englishLeft('approval')).toEqual([]);

  turns.push({ kind: 'text', text: 'Notiz gespeichert.' });
  await answerTo(page, () => approvalCard().getByRole('button', { name: de.approval.approve, exact: true }).click());
  await page.locator('.tool-card summary').first().click();
  expect(await englishLeft('tool-card')).toEqual([]);
});

test('a server’s form, with a value it refuses', async () => {
  turns.push({ kind: 'tool_calls', calls: [{ name: 'everything__trigger-elicitation-request', arguments: {} }] });
  await send('Frag mich etwas');
  const card = page.getByRole('region', { name: de.questionCard.formAsk('Everything') }).last();
  await card.getByLabel('Integer', { exact: true }).fill('500');
  await card.getByRole('button', { name: de.questionCard.accept }).click();
  await card.getByText(de.form.atMost('Integer', 100)).waitFor();
  expect(await englishLeft('form')).toEqual([]);

  turns.push({ kind: 'text', text: 'Danke.' });
  await card.getByRole('button', { name: de.common.cancel }).click();
  await page.getByText('Danke.').waitFor();
});

test('an edited message with its versions', async () => {
  const asked = page.locator('.message.user').first();
  await asked.hover();
  await asked.getByRole('button', { name: de.message.edit }).click();
  await page.getByRole('textbox', { name: de.message.editLabel }).fill('Hallo nochmal');
  turns.push({ kind: 'text', text: 'Wieder hallo.' });
  await page.getByRole('button', { name: de.message.saveAndSend }).click();
  await page.getByText('Wieder hallo.').waitFor();
  await page.getByRole('group', { name: de.message.versions }).first().waitFor();
  expect(await englishLeft('versions')).toEqual([]);
});

test('a stopped answer, with Continue', async () => {
  const words = Array.from({ length: 40 }, (_, n) => `wort${n + 1} `);
  turns.push({ kind: 'text', text: words.join(''), tokens: words, delayMs: 250 });
  await send('Zähl ein paar Wörter');
  await page.locator('.message.assistant .markdown').filter({ hasText: 'wort2' }).waitFor();
  await page.getByRole('button', { name: de.composer.stop }).click();
  await page.getByRole('button', { name: de.message.continue }).waitFor();
  expect(await englishLeft('stopped')).toEqual([]);
});

test('the composer’s pickers, with nothing found', async () => {
  const box = page.getByRole('textbox', { name: de.composer.message });
  await box.pressSequentially('@zzz');
  await page.getByText(de.composerChoices.noResourceMatches('zzz')).waitFor();
  expect(await englishLeft('resources')).toEqual([]);
  await box.fill('');
});

test('a failed answer, with Retry', async () => {
  turns.push({ kind: 'error', status: 400, message: 'bad request' });
  await send('Das geht schief');
  await page.getByRole('button', { name: de.run.retry }).waitFor();
  expect(await englishLeft('failed')).toEqual([]);
  turns.push({ kind: 'text', text: 'Jetzt klappt es.' });
  await page.getByRole('button', { name: de.run.retry }).click();
  await page.getByText('Jetzt klappt es.').waitFor();
});

test('the export menu and the chat’s instructions', async () => {
  await page.getByRole('button', { name: de.exportMenu.button, exact: true }).click();
  await page.getByRole('group', { name: de.exportMenu.legend }).waitFor();
  expect(await englishLeft('export')).toEqual([]);
  await page.keyboard.press('Escape');

  await page.getByRole('button', { name: de.instructions.chatButton(false) }).click();
  const dialog = page.getByRole('dialog', { name: de.instructions.chatTitle });
  await dialog.waitFor();
  expect(await englishLeft('instructions')).toEqual([]);
  await dialog.getByRole('button', { name: de.common.cancel }).click();
  await dialog.waitFor({ state: 'detached' });
});

test('the tools panel and the settings', async () => {
  await page.getByRole('button', { name: new RegExp(`^${de.servers.title}`) }).click();
  await page.getByRole('dialog', { name: de.servers.title }).waitFor();
  expect(await englishLeft('tools')).toEqual([]);
  await page.getByRole('button', { name: de.servers.close }).click();

  await page.getByRole('button', { name: de.account.settings }).click();
  const settings = page.getByRole('dialog', { name: de.settings.title });
  await settings.waitFor();
  expect(await englishLeft('settings')).toEqual([]);
  await settings.getByRole('button', { name: de.common.cancel }).click();
  await settings.waitFor({ state: 'detached' });
});

test('the rename and delete dialogs', async () => {
  await (await chatItemButton('Notizen', de.chatItem.rename('Notizen'))).click();
  const rename = page.getByRole('dialog', { name: de.rename.title });
  await rename.waitFor();
  expect(await englishLeft('rename')).toEqual([]);
  await rename.getByRole('button', { name: de.common.cancel }).click();

  await (await chatItemButton('Notizen', de.chatItem.delete('Notizen'))).click();
  const remove = page.getByRole('dialog', { name: de.chatItem.deleteTitle });
  await remove.waitFor();
  expect(await englishLeft('delete')).toEqual([]);
  await remove.getByRole('button', { name: de.common.cancel }).click();
});

test('search results', async () => {
  await page.getByRole('searchbox', { name: de.search.label }).fill('Notiz');
  await page.getByRole('list', { name: de.search.results }).getByRole('link').first().waitFor();
  expect(await englishLeft('search')).toEqual([]);
  await page.getByRole('searchbox', { name: de.search.label }).fill('');
});

test('archived chats', async () => {
  await (await chatItemButton('Notizen', de.chatItem.archive('Notizen'))).click();
  await page.getByRole('button', { name: de.archived.toggle }).click();
  await page.getByRole('list', { name: de.archived.toggle }).getByRole('link', { name: 'Notizen' }).waitFor();
  expect(await englishLeft('archived')).toEqual([]);
});

test('the approval inbox, and a chat not yet titled in the list', async () => {
  await page.getByRole('button', { name: de.sidebar.newChat, exact: true }).click();
  turns.push({ kind: 'tool_calls', calls: [{ name: CREATE_NOTE, arguments: { title: 'Später', body: 'wartet' } }] });
  await send('Noch eine Notiz');
  await approvalCard().waitFor();
  // A chat made through the API, with nothing sent yet, keeps the untitled chat's title.
  const api = await signInPerson(server.url, 'uma@countersign.dev');
  await api.client.api.chats.create.mutate({});
  await api.client.close();
  await chatLink(de.chat.defaultTitle).waitFor();
  await page.getByRole('button', { name: new RegExp(`^${de.inbox.approvals}`) }).click();
  await page.getByRole('dialog', { name: de.inbox.title }).waitFor();
  expect(await englishLeft('inbox')).toEqual([]);
});

test('no page errors', () => {
  expectNoProblems(uma);
});

/**
 * What a server may ask, in Chromium: Ada sets a server's sampling policy and token cap and the
 * folders people may let it see, a bad folder refused beside the field; Uma then ticks one of
 * those folders for her chat in the tools drawer, and the server is offered it. Screenshots go to
 * test-output/screenshots.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import type { Browser } from 'playwright-core';
import { sendMessage } from '../browser/chat-actions.ts';
import { eventually } from '../support/eventually.ts';
import { launchBrowser, openPage, type OpenPage, screenshot, signIn } from '../support/browser.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

// Each step is a person's few clicks across two browsers and a server.
setDefaultTimeout(30_000);

const FIXTURE = join(import.meta.dir, '..', 'fixtures', 'roots-server.ts');

let server: TestServer;
let browser: Browser;
let ada: OpenPage;
let files: string;

beforeAll(async () => {
  server = await startTestServer();
  files = (await server.catalogue.create({ name: 'Files', transport: 'stdio', command: process.execPath, args: [FIXTURE, '2025'] })).id;
  browser = await launchBrowser();
  ada = await openPage(browser);
  await signIn(ada.page, server.url, 'Ada Admin', '/admin');
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await server?.[Symbol.asyncDispose]();
});

describe('what a server may ask', () => {
  test('Ada lets Files use the model after asking, with a cap, and see two folders; a bad folder is refused beside the field', async () => {
    const { page } = ada;
    await page.goto(`${server.url}/admin/servers/${files}`);
    const asks = page.getByRole('group', { name: 'What this server may ask' });
    expect(await asks.getByRole('radio', { name: 'Off' }).isChecked()).toBe(true);
    expect(await asks.getByRole('spinbutton').count()).toBe(0);

    await asks.getByRole('radio', { name: 'Ask the person each time' }).check();
    const cap = asks.getByRole('spinbutton', { name: 'Most tokens in one reply' });
    expect(await cap.inputValue()).toBe('1024');
    await cap.fill('4096');
    await asks.getByRole('button', { name: 'Add a folder' }).click();
    await asks.getByRole('textbox', { name: 'Folder 1: URI' }).fill('file:srv/projects');
    await asks.getByRole('textbox', { name: 'Folder 1: name' }).fill('Projects');
    await page.getByRole('button', { name: 'Save changes' }).click();

    const uri = asks.getByRole('textbox', { name: 'Folder 1: URI' });
    await page.locator('[aria-invalid="true"]').waitFor();
    const described = await uri.evaluate((element) => document.getElementById(element.getAttribute('aria-describedby') ?? '')?.textContent);
    expect(described).toBe('"file:srv/projects" must be a file:// URI with an absolute path, such as file:///srv/projects');
    await screenshot(page, 'admin-server-asks-problem', { fullPage: true });

    await uri.fill('file:///srv/projects');
    await asks.getByRole('button', { name: 'Add a folder' }).click();
    await asks.getByRole('textbox', { name: 'Folder 2: URI' }).fill('file:///srv/docs');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('status').getByText('Saved.').waitFor();
    expect(await server.catalogue.get(files)).toMatchObject({
      samplingPolicy: 'ask',
      samplingMaxTokens: 4096,
      allowedRoots: [{ uri: 'file:///srv/projects', name: 'Projects' }, { uri: 'file:///srv/docs' }],
    });
    await screenshot(page, 'admin-server-asks', { fullPage: true });

    await page.reload();
    expect(await asks.getByRole('radio', { name: 'Ask the person each time' }).isChecked()).toBe(true);
    expect(await asks.getByRole('textbox', { name: 'Folder 2: URI' }).inputValue()).toBe('file:///srv/docs');
    expect(ada.problems).toEqual([]);
  });

  test('Uma ticks a folder for her chat in the tools drawer; the server is offered it there, and it stays ticked', async () => {
    const uma = await openPage(browser);
    const { page } = uma;
    await signIn(page, server.url, 'Uma User');
    await sendMessage(page, 'Hello there');
    await page.waitForURL((url) => url.pathname.startsWith('/c/'));

    await page.getByRole('button', { name: /^Tools/ }).click();
    const card = page.getByRole('listitem', { name: 'Files' });
    await card.getByRole('button', { name: 'Connect' }).click();
    await card.getByText('Connected', { exact: true }).waitFor();
    const folders = card.getByRole('group', { name: 'Folders this server may see in this chat' });
    const projects = folders.getByRole('checkbox', { name: /^Projects/ });
    expect(await projects.isChecked()).toBe(false);
    expect(await folders.getByRole('checkbox', { name: 'file:///srv/docs' }).isChecked()).toBe(false);

    await projects.check();
    const umaId = await userId('uma@countersign.dev');
    const chatId = new URL(page.url()).pathname.split('/').pop()!;
    const chats = server.db.tables.chats;
    await eventually(
      async () => (await server.db.drizzle.select().from(chats).where(eq(chats.id, chatId)))[0]?.roots[files]?.length === 1,
      'her choice to be saved',
    );
    const offered = await server.mcpHandlers.forUser(umaId).callTool('files__roots', {});
    expect(offered.ok && JSON.parse(offered.text)).toEqual({ declared: true, roots: [{ uri: 'file:///srv/projects', name: 'Projects' }] });
    await screenshot(page, 'user-server-roots');

    await page.reload();
    await page.getByRole('button', { name: /^Tools/ }).click();
    expect(
      await page
        .getByRole('listitem', { name: 'Files' })
        .getByRole('checkbox', { name: /^Projects/ })
        .isChecked(),
    ).toBe(true);
    expect(uma.problems).toEqual([]);
    await uma.close();
  });
});

async function userId(email: string): Promise<string> {
  const users = server.db.tables.users;
  const [row] = await server.db.drizzle.select().from(users).where(eq(users.email, email));
  if (!row) throw new Error(`no user ${email}`);
  return row.id;
}

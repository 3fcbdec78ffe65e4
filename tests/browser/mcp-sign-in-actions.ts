/**
 * A catalogue server behind OAuth for browser tests, and what a person does with it in the web
 * chat: open the tools panel, find a server's card, follow "Sign in to <server>" through the
 * authorisation server's account picker back to Countersign, connect a server that way, revoke a
 * connected account, find the card of calls waiting for a sign-in, and notice every sign-in prompt
 * the chat shows. The fixtures are tests/support/oauth-authorization-server.ts and protected-mcp-server.ts.
 */
import type { Locator, Page } from 'playwright-core';
import type { CatalogueInput } from '../../server/mcp/catalogue.ts';
import { MCP_SIGN_IN_PATH } from '../../shared/servers.ts';
import { type AuthorizationServer, startAuthorizationServer } from '../support/oauth-authorization-server.ts';
import { type ProtectedMcpServer, startProtectedMcpServer } from '../support/protected-mcp-server.ts';
import type { TestServer } from '../support/test-server.ts';

export interface OAuthCatalogueServer {
  name: string;
  /** Its catalogue id. */
  id: string;
  authorizationServer: AuthorizationServer;
  mcp: ProtectedMcpServer;
  stop(): Promise<void>;
}

/**
 * A real authorisation server and a protected MCP server (tools whoami, add), in `server`'s
 * catalogue as `name`, auth mode oauth; `entry` adds to the catalogue entry (tool policies…).
 */
export async function addOAuthServer(
  server: TestServer,
  name: string,
  entry: Omit<CatalogueInput, 'name' | 'transport' | 'url' | 'authMode'> = {},
): Promise<OAuthCatalogueServer> {
  const authorizationServer = await startAuthorizationServer();
  const mcp = await startProtectedMcpServer({ authorizationServer });
  const { id } = await server.catalogue.create({ ...entry, name, transport: 'streamable-http', url: mcp.url, authMode: 'oauth' });
  return {
    name,
    id,
    authorizationServer,
    mcp,
    async stop() {
      await mcp.stop();
      await authorizationServer.stop();
    },
  };
}

/** Opens the tools panel and returns it. */
export async function openTools(page: Page): Promise<Locator> {
  await page.getByRole('button', { name: /^Tools/ }).click();
  const panel = page.getByRole('dialog', { name: 'Tools' });
  await panel.waitFor();
  return panel;
}

export async function closeTools(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Close tools' }).click();
  await page.getByRole('dialog', { name: 'Tools' }).waitFor({ state: 'detached' });
}

/** A catalogue server's card in the open tools panel. */
export function serverCard(page: Page, serverName: string): Locator {
  return page.getByRole('listitem', { name: serverName });
}

/** The banner above the composer asking for a sign-in to `serverName`. */
export function signInBanner(page: Page, serverName: string): Locator {
  return page.getByRole('status', { name: `${serverName} needs you to sign in` });
}

/**
 * Clicks a "Sign in to <server>" link (on a card or a banner), picks `account` on the
 * authorisation server's account picker, and waits until the browser is back at `backTo`.
 */
export async function signInThrough(page: Page, link: Locator, account: string, backTo: string): Promise<void> {
  await link.click();
  await page.getByRole('heading', { name: 'Sign in to the MCP server' }).waitFor();
  await page.getByRole('button', { name: account, exact: true }).click();
  await page.waitForURL(backTo);
}

/**
 * From a chat at `chatUrl`: connects `serverName` in the tools panel, signs in on its card as
 * `account`, and waits until the server is connected back in the same chat; the panel is closed.
 */
export async function connectWithSignIn(page: Page, serverName: string, account: string, chatUrl: string): Promise<void> {
  await openTools(page);
  const card = serverCard(page, serverName);
  await card.getByRole('button', { name: 'Connect' }).click();
  await signInThrough(page, card.getByRole('link', { name: `Sign in to ${serverName}` }), account, chatUrl);
  await openTools(page);
  await serverCard(page, serverName).getByText('Connected', { exact: true }).waitFor();
  await closeTools(page);
}

/** The card of tool calls that wait for the person to sign in ("Sign in to go on"). */
export function signInWaitCard(page: Page): Locator {
  return page.getByRole('region', { name: 'Waiting for you to sign in' });
}

/**
 * From now on (until the page is reloaded) notes the text of every sign-in link the page shows,
 * however briefly (a banner, a waiting card, a server card); `signInPromptsShown` reads them.
 */
export async function watchSignInPrompts(page: Page): Promise<void> {
  await page.evaluate((path) => {
    const shown: string[] = [];
    (window as unknown as { signInPrompts: string[] }).signInPrompts = shown;
    const noted = new WeakSet<Element>();
    const note = () => {
      for (const link of document.querySelectorAll(`a[href^="${path}?"]`)) {
        if (!noted.has(link)) shown.push(link.textContent ?? '');
        noted.add(link);
      }
    };
    note();
    new MutationObserver(note).observe(document.body, { subtree: true, childList: true });
  }, MCP_SIGN_IN_PATH);
}

export function signInPromptsShown(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { signInPrompts: string[] }).signInPrompts);
}

/** In the open tools panel: Revoke on the connected account for `serverName`, confirmed. */
export async function revokeConnectedAccount(page: Page, serverName: string): Promise<void> {
  const accounts = page.getByRole('region', { name: 'Connected accounts' });
  await accounts.getByRole('button', { name: `Revoke your sign-in to ${serverName}` }).click();
  const confirm = page.getByRole('dialog', { name: `Revoke your sign-in to ${serverName}?` });
  await confirm.getByRole('button', { name: 'Revoke' }).click();
  await confirm.waitFor({ state: 'detached' });
}

/**
 * A catalogue server behind OAuth for browser tests, and what a person does with it in the web
 * chat: open the tools panel, find a server's card, follow "Sign in to <server>" through the
 * authorisation server's account picker back to Countersign, and revoke a connected account.
 * The fixtures are tests/support/oauth-authorization-server.ts and protected-mcp-server.ts.
 */
import type { Locator, Page } from 'playwright-core';
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

/** A real authorisation server and a protected MCP server (tools whoami, add), in `server`'s catalogue as `name`, auth mode oauth. */
export async function addOAuthServer(server: TestServer, name: string): Promise<OAuthCatalogueServer> {
  const authorizationServer = await startAuthorizationServer();
  const mcp = await startProtectedMcpServer({ authorizationServer });
  const { id } = await server.catalogue.create({ name, transport: 'streamable-http', url: mcp.url, authMode: 'oauth' });
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

/** In the open tools panel: Revoke on the connected account for `serverName`, confirmed. */
export async function revokeConnectedAccount(page: Page, serverName: string): Promise<void> {
  const accounts = page.getByRole('region', { name: 'Connected accounts' });
  await accounts.getByRole('button', { name: `Revoke your sign-in to ${serverName}` }).click();
  const confirm = page.getByRole('dialog', { name: `Revoke your sign-in to ${serverName}?` });
  await confirm.getByRole('button', { name: 'Revoke' }).click();
  await confirm.waitFor({ state: 'detached' });
}

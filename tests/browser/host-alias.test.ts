/**
 * People type "localhost" where the server calls itself 127.0.0.1. Cookies belong to a host
 * name, so sign-in must start on the same name the identity provider returns to.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import type { Browser } from 'playwright-core';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { launchBrowser, openPage } from '../support/browser.ts';

let browser: Browser;
let server: TestServer;

beforeAll(async () => {
  browser = await launchBrowser();
  server = await startTestServer();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await server?.[Symbol.asyncDispose]();
});

test('opening the app as localhost signs in and lands in the app at the server’s own address', async () => {
  const { page, context } = await openPage(browser);
  const alias = server.url.replace('127.0.0.1', 'localhost');
  await page.goto(`${alias}/`);
  await page.getByRole('heading', { name: 'Development sign-in' }).waitFor();
  await page.getByRole('button', { name: /Uma User/ }).click();
  await page.waitForURL((url) => url.origin === server.url && url.pathname === '/');
  await page.getByText('Uma User', { exact: true }).waitFor({ state: 'attached' });
  expect(await page.getByText('Sign-in failed').count()).toBe(0);
  await context.close();
});

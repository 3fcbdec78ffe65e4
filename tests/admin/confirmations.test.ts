/**
 * What the console asks before acting at once, in Chromium: disabling a person, changing a role
 * (which signs that person out, said before and after) and revoking a token each open a dialog
 * naming who or what and saying what happens; Escape or Cancel changes nothing and puts focus
 * back on the control that opened it. A revoked token leaves the list without a reload. An admin's
 * web chat links to the console; a person's does not. Screenshots go to test-output/screenshots.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test';
import type { Browser, Locator, Page } from 'playwright-core';
import { launchBrowser, openPage, type OpenPage, screenshot, signIn } from '../support/browser.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

// Each step is a person's few clicks across two browsers and a server.
setDefaultTimeout(30_000);

let server: TestServer;
let browser: Browser;
let ada: OpenPage;

beforeAll(async () => {
  [server, browser] = await Promise.all([startTestServer(), launchBrowser()]);
  ada = await openPage(browser);
  await signIn(ada.page, server.url, 'Ada Admin', '/admin/users');
}, 90_000);
afterAll(async () => {
  await browser?.close();
  await server?.[Symbol.asyncDispose]();
});

const isFocused = (locator: Locator) => locator.evaluate((element) => element === document.activeElement);
const shot = (page: Page, name: string) => screenshot(page, `admin-${name}`, { fullPage: true });

async function chatAs(name: string): Promise<OpenPage> {
  const person = await openPage(browser);
  await signIn(person.page, server.url, name);
  await person.page.getByRole('textbox', { name: 'Message' }).waitFor();
  return person;
}

describe('confirmations in the admin console', () => {
  test('disabling Ulf asks first, naming him; Escape keeps him active and focus on the button', async () => {
    const { page } = ada;
    const row = page.getByRole('row', { name: 'Ulf User' });
    const disable = row.getByRole('button', { name: 'Disable…' });
    // Ulf appears in the list once he has signed in.
    const ulf = await chatAs('Ulf User');
    await page.reload();
    await disable.click();
    const dialog = page.getByRole('dialog', { name: 'Disable Ulf User?' });
    await expect(dialog.textContent()).resolves.toContain('Ulf User is signed out everywhere at once');
    expect(await isFocused(dialog.getByRole('button', { name: 'Cancel' }))).toBe(true);
    await shot(page, 'confirm-disable');

    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await isFocused(disable)).toBe(true);
    expect(await row.textContent()).toContain('Active');

    await disable.press('Enter');
    await dialog.getByRole('button', { name: 'Disable' }).click();
    await row.getByText('Disabled', { exact: true }).waitFor();
    await page.getByRole('status').getByText('Ulf User is disabled and was signed out everywhere.').waitFor();
    expect(await isFocused(row.getByRole('button', { name: 'Enable' }))).toBe(true);
    await ulf.page.getByRole('heading', { name: 'Development sign-in' }).waitFor();
    await ulf.close();

    // Enabling takes nothing away: one click.
    await row.getByRole('button', { name: 'Enable' }).click();
    await row.getByText('Active', { exact: true }).waitFor();
    expect(ada.problems).toEqual([]);
  });

  test('making Uma an admin says she is signed out, before and after; her chat then links to the console', async () => {
    const uma = await chatAs('Uma User');
    expect(await uma.page.getByRole('link', { name: 'Admin console' }).count()).toBe(0);

    const { page } = ada;
    await page.reload();
    const role = page.getByRole('combobox', { name: 'Role of Uma User' });
    // Focused first, as a click or the keyboard leaves it: selectOption alone does not.
    await role.focus();
    await role.selectOption('ADMIN');
    const dialog = page.getByRole('dialog', { name: 'Make Uma User an admin?' });
    await expect(dialog.textContent()).resolves.toContain('Uma User is signed out everywhere at once');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(await role.inputValue()).toBe('USER');
    expect(await isFocused(role)).toBe(true);

    await role.selectOption('ADMIN');
    await shot(page, 'confirm-role');
    await dialog.getByRole('button', { name: 'Make admin' }).click();
    await page
      .getByRole('status')
      .getByText('Uma User is now an admin. They were signed out everywhere; the new role applies when they sign in again.')
      .waitFor();
    expect(await role.inputValue()).toBe('ADMIN');
    await shot(page, 'role-changed');

    // No reload: her open chat goes to sign-in; signed in again, it offers her the console.
    await uma.page.getByRole('heading', { name: 'Development sign-in' }).waitFor();
    await uma.page.getByRole('button', { name: /Uma/ }).click();
    const link = uma.page.getByRole('link', { name: 'Admin console' });
    await link.waitFor();
    await screenshot(uma.page, 'chat-admin-link');
    await link.click();
    await uma.page.getByRole('heading', { name: 'MCP server catalogue' }).waitFor();
    // Her chat's requests after her session ended were refused (401); nothing else went wrong.
    expect(uma.problems.filter((problem) => !problem.includes('(Unauthorized)'))).toEqual([]);
    await uma.close();
    expect(ada.problems).toEqual([]);
  });

  test('revoking a token asks first; once revoked it leaves the list, or shows as revoked when those are shown', async () => {
    const { page } = ada;
    await page.getByRole('link', { name: 'Service tokens' }).click();
    const issue = async (label: string) => {
      await page.getByLabel('Label (what uses it)').fill(label);
      await page.getByLabel('Service account name (created if new)').fill('reporting');
      await page.getByRole('button', { name: 'Issue token' }).click();
      await page.getByRole('button', { name: 'Done' }).click();
      return page.getByRole('row', { name: label });
    };

    const row = await issue('Reporting service');
    const revoke = row.getByRole('button', { name: 'Revoke…' });
    await revoke.click();
    const dialog = page.getByRole('dialog', { name: 'Revoke “Reporting service”?' });
    await expect(dialog.textContent()).resolves.toContain('It acts as reporting. Every request made with it is refused from now on');
    await shot(page, 'confirm-revoke');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await isFocused(revoke)).toBe(true);
    expect(await row.textContent()).toContain('active');

    await revoke.click();
    await dialog.getByRole('button', { name: 'Revoke' }).click();
    await row.waitFor({ state: 'detached' });
    await page.getByRole('status').getByText('“Reporting service” is revoked').waitFor();
    // Its row, and the button that opened the dialog, are gone: focus lands on the list's heading.
    expect(await isFocused(page.getByRole('heading', { name: 'Tokens', exact: true }))).toBe(true);

    await page.getByRole('checkbox', { name: 'Show revoked' }).check();
    await row.getByText('revoked', { exact: true }).waitFor();
    const nightly = await issue('Nightly export');
    await nightly.getByRole('button', { name: 'Revoke…' }).click();
    await page.getByRole('dialog', { name: 'Revoke “Nightly export”?' }).getByRole('button', { name: 'Revoke' }).click();
    await nightly.getByText('revoked', { exact: true }).waitFor();
    expect(await nightly.getByRole('button').count()).toBe(0);
    await shot(page, 'tokens-revoked');
    expect(ada.problems).toEqual([]);
  });
});

/**
 * `me` tells the console the caller's own language and theme, as chosen in the web chat, so the
 * console starts in them; it says nothing of anybody else's, and nothing to a signed-out caller.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { MeQuery } from '../../admin/src/api/operations.ts';
import { type Admin, postGraphQL, signInAdmin } from './support.ts';
import { type Person, signIn } from '../support/people.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

let server: TestServer;
let ada: Admin;
let uma: Person;

beforeAll(async () => {
  server = await startTestServer();
  ada = await signInAdmin(server.url);
  uma = await signIn(server.url, 'uma@countersign.dev');
});
afterAll(async () => {
  await ada.client.close();
  await uma.client.close();
  await server[Symbol.asyncDispose]();
});

test('a person who chose nothing follows the browser and the system', async () => {
  expect((await ada.admin(MeQuery)).me).toMatchObject({ email: 'ada@countersign.dev', locale: null, theme: 'SYSTEM' });
});

test('the language and theme chosen in the web chat are the ones `me` gives, and only the caller’s own', async () => {
  await ada.client.api.settings.setLocale.mutate({ locale: 'de' });
  await ada.client.api.settings.setTheme.mutate({ theme: 'dark' });
  await uma.client.api.settings.setTheme.mutate({ theme: 'light' });
  expect((await ada.admin(MeQuery)).me).toMatchObject({ locale: 'de', theme: 'DARK' });
  const umas = await postGraphQL(server.url, '{ me { email locale theme } }', { headers: { cookie: uma.cookie } });
  expect(umas.body).toEqual({ data: { me: { email: 'uma@countersign.dev', locale: null, theme: 'LIGHT' } } });
});

test('a signed-out caller is nobody', async () => {
  expect((await postGraphQL(server.url, '{ me { locale theme } }')).body).toEqual({ data: { me: null } });
});

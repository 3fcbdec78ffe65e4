/**
 * settings.setTheme and settings.setLocale through a whole server and the typed client: read back
 * by settings.get, refused with a sentence when not one of the choices, and one person's choice
 * never changes another's.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { type Person, signIn } from '../support/people.ts';
import { refusal } from '../support/refusal.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

let server: TestServer;
let uma: Person;
let ulf: Person;

beforeAll(async () => {
  server = await startTestServer();
  [uma, ulf] = await Promise.all([signIn(server.url, 'uma@countersign.dev'), signIn(server.url, 'ulf@countersign.dev')]);
});
afterAll(async () => {
  await Promise.all([uma.client.close(), ulf.client.close()]);
  await server[Symbol.asyncDispose]();
});

describe('settings.setTheme', () => {
  test('starts as the system’s, is read back as chosen, and leaves another person’s alone', async () => {
    const api = uma.client.api;
    expect(await api.settings.get.query()).toMatchObject({ theme: 'system' });
    expect(await api.settings.setTheme.mutate({ theme: 'dark' })).toMatchObject({ theme: 'dark' });
    expect(await api.settings.get.query()).toMatchObject({ theme: 'dark' });
    expect(await ulf.client.api.settings.get.query()).toMatchObject({ theme: 'system' });

    expect(await api.settings.setTheme.mutate({ theme: 'light' })).toMatchObject({ theme: 'light' });
    expect(await api.settings.setTheme.mutate({ theme: 'system' })).toMatchObject({ theme: 'system' });
  });

  test('anything but system, light or dark is refused, saying which are allowed, and the theme stays', async () => {
    const api = uma.client.api;
    await api.settings.setTheme.mutate({ theme: 'dark' });
    expect(await refusal(api.settings.setTheme.mutate({ theme: 'purple' as 'dark' }))).toEqual({
      code: 'BAD_REQUEST',
      message: 'The theme must be one of system, light, dark.',
    });
    expect(await api.settings.get.query()).toMatchObject({ theme: 'dark' });
  });
});

describe('settings.setLocale', () => {
  test('follows the browser (null) until chosen, is read back as chosen, null goes back, and another person’s stays', async () => {
    const api = uma.client.api;
    expect(await api.settings.get.query()).toMatchObject({ locale: null });
    expect(await api.settings.setLocale.mutate({ locale: 'de' })).toMatchObject({ locale: 'de' });
    expect(await api.settings.get.query()).toMatchObject({ locale: 'de' });
    expect(await ulf.client.api.settings.get.query()).toMatchObject({ locale: null });

    expect(await api.settings.setLocale.mutate({ locale: null })).toMatchObject({ locale: null });
    expect(await api.settings.get.query()).toMatchObject({ locale: null });
  });

  test('a language without a catalogue is refused, saying which are offered, and the choice stays', async () => {
    const api = uma.client.api;
    await api.settings.setLocale.mutate({ locale: 'en' });
    expect(await refusal(api.settings.setLocale.mutate({ locale: 'fr' as 'en' }))).toEqual({
      code: 'BAD_REQUEST',
      message: 'The language must be one of en, de, or null to follow the browser.',
    });
    expect(await api.settings.get.query()).toMatchObject({ locale: 'en' });
  });

  test('a signed-out caller is refused', async () => {
    const { createCountersignClient } = await import('../../shared/client.ts');
    const anonymous = createCountersignClient({ url: server.url, headers: { origin: server.url } });
    expect(await refusal(anonymous.api.settings.setTheme.mutate({ theme: 'dark' }))).toMatchObject({ code: 'UNAUTHORIZED' });
    await anonymous.close();
  });
});

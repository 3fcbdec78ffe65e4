/** Signed-in people for API tests: a real sign-in through the development provider, then the typed client. */
import { createCountersignClient, type CountersignClient } from '../../shared/client.ts';
import { HttpBrowser, signInWithDevProvider } from './http-browser.ts';

export interface Person {
  email: string;
  cookie: string;
  client: CountersignClient;
}

export async function signIn(appUrl: string, email: string): Promise<Person> {
  const browser = new HttpBrowser();
  await signInWithDevProvider(browser, appUrl, email);
  const cookie = [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  return { email, cookie, client: createCountersignClient({ url: appUrl, headers: { cookie, origin: appUrl } }) };
}

/** Collects a subscription's events; `until` resolves when one matches. */
export class Recorder<T extends { type: string }> {
  readonly events: { id: string | undefined; data: T }[] = [];
  #waiters: { match: (e: T) => boolean; resolve: (e: T) => void }[] = [];

  push = (item: { id: string; data: T } | T) => {
    const entry = 'data' in item && 'id' in item ? (item as { id: string; data: T }) : { id: undefined, data: item as T };
    this.events.push(entry);
    this.#waiters = this.#waiters.filter((w) => {
      if (!w.match(entry.data)) return true;
      w.resolve(entry.data);
      return false;
    });
  };

  until(match: (e: T) => boolean, timeoutMs = 15_000): Promise<T> {
    const seen = this.events.find((e) => match(e.data));
    if (seen) return Promise.resolve(seen.data);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no matching event within ${timeoutMs} ms; saw ${this.events.map((e) => e.data.type).join(', ')}`)),
        timeoutMs,
      );
      this.#waiters.push({
        match,
        resolve: (e) => {
          clearTimeout(timer);
          resolve(e);
        },
      });
    });
  }

  types(): string[] {
    return this.events.map((e) => e.data.type);
  }
}

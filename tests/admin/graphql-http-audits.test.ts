/**
 * graphql-http's GraphQL-over-HTTP server audits against /graphql, as an admin (the audits'
 * `{ __typename }` needs no role, but an admin session is what the console sends). Every audit,
 * MUST, SHOULD and MAY alike, must pass; each is its own test.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { serverAudits } from 'graphql-http';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { type Admin, signInAdmin } from './support.ts';

let server: TestServer;
let ada: Admin;

beforeAll(async () => {
  server = await startTestServer();
  ada = await signInAdmin(server.url);
});
afterAll(async () => {
  await server[Symbol.asyncDispose]();
});

const withSession: typeof fetch = Object.assign(
  (input: RequestInfo | URL, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    headers.set('cookie', ada.cookie);
    return fetch(input, { ...init, headers });
  },
  { preconnect: fetch.preconnect },
);

// The audit list is fixed by the library; building it needs no server (the URL is read per audit).
const audits = serverAudits({ url: () => `${server.url}/graphql`, fetchFn: withSession });

describe(`graphql-http server audits (${audits.length})`, () => {
  for (const audit of audits) {
    test(`${audit.id} ${audit.name}`, async () => {
      const result = await audit.fn();
      if (result.status !== 'ok') {
        const detail = 'response' in result ? await result.response.text().catch(() => '') : '';
        throw new Error(`${result.reason}${detail ? `\n${detail}` : ''}`);
      }
      expect(result.status).toBe('ok');
    });
  }
});

/** GraphiQL is served in development only; elsewhere a browser asking /graphql for a page gets no IDE. */
import { expect, test } from 'bun:test';
import { startTestServer } from '../support/test-server.ts';

const asBrowser = { accept: 'text/html' };

test('development serves GraphiQL at GET /graphql', async () => {
  await using server = await startTestServer({ NODE_ENV: 'development' });
  const response = await fetch(`${server.url}/graphql`, { headers: asBrowser });
  expect(response.status).toBe(200);
  const page = await response.text();
  expect(page).toContain('Countersign admin API');
  // Self-hosted installs are often offline: the IDE must load nothing from another host.
  expect(page).not.toMatch(/(?:src|href)=["']?(?:https?:)?\/\//i);
});

test('other environments do not', async () => {
  await using server = await startTestServer();
  const response = await fetch(`${server.url}/graphql`, { headers: asBrowser });
  expect(await response.text()).not.toContain('Countersign admin API');
  expect(response.headers.get('content-type') ?? '').not.toContain('text/html');
});

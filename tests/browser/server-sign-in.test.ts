/**
 * Which servers the web chat asks a person to sign in to above the composer, and where the link
 * goes (client/src/lib/server-sign-in.ts), without a browser: the servers the chat uses and those
 * its failed tool calls went to, while they wait for a sign-in, and no others.
 */
import { describe, expect, test } from 'bun:test';
import type { ServerDto } from '../../client/src/api/types.ts';
import { serverSignInHref, serversNeedingSignIn } from '../../client/src/lib/server-sign-in.ts';
import type { ToolCallCard } from '../../shared/chat-events.ts';

const server = (id: string, connection: ServerDto['connection']): ServerDto => ({
  id,
  name: id,
  description: '',
  transport: 'streamable-http',
  connection,
  error: null,
  tools: [],
  roots: [],
});

const callTo = (serverId: string, status: ToolCallCard['status']): ToolCallCard => ({
  toolCallId: `call-${serverId}`,
  tool: { serverId, serverName: serverId, uniqueName: `${serverId}__whoami`, name: 'whoami', title: 'whoami' },
  arguments: {},
  status,
});

describe('servers a chat needs a sign-in for', () => {
  const catalogue = [
    server('used', 'needs_sign_in'),
    server('called', 'needs_sign_in'),
    server('elsewhere', 'needs_sign_in'),
    server('fine', 'connected'),
    server('down', 'unavailable'),
  ];

  test('those the chat uses and those its failed calls went to, while they wait for a sign-in', () => {
    const needed = serversNeedingSignIn(catalogue, ['used', 'fine', 'down'], [callTo('called', 'failed'), callTo('fine', 'failed')]);

    expect(needed.map((s) => s.id)).toEqual(['used', 'called']);
  });

  test('a call that did not fail asks for nothing, and a server signed in to since its failed call is no longer asked for', () => {
    expect(serversNeedingSignIn(catalogue, [], [callTo('called', 'succeeded'), callTo('elsewhere', 'rejected')])).toEqual([]);
    const signedIn = catalogue.map((s) => (s.id === 'called' ? { ...s, connection: 'connected' as const } : s));
    expect(serversNeedingSignIn(signedIn, [], [callTo('called', 'failed')])).toEqual([]);
  });

  test('the link starts the sign-in at Countersign for that server and comes back to the page given', () => {
    const href = new URL(serverSignInHref('tracker/1', '/c/abc?x=1&y=2'), 'http://countersign.test');

    expect(href.pathname).toBe('/mcp-oauth/start');
    expect(Object.fromEntries(href.searchParams)).toEqual({ server: 'tracker/1', returnTo: '/c/abc?x=1&y=2' });
  });
});

/** Signing in to a catalogue server behind OAuth: where the link goes, and which servers a chat needs a sign-in for. */
import { MCP_SIGN_IN_PATH } from '../../../shared/servers.ts';
import type { ServerDto, ToolCallCard } from '../api/types.ts';

/** Countersign's route that sends the browser to the server's authorisation server and, once signed in, back to `returnTo`. */
export function serverSignInHref(serverId: string, returnTo: string): string {
  return `${MCP_SIGN_IN_PATH}?${new URLSearchParams({ server: serverId, returnTo })}`;
}

/**
 * The servers waiting for the person's sign-in that this chat depends on: those it uses, and those
 * a tool call of it went to (a call that failed because of it). The servers' own state decides,
 * not a call's wording, so the prompt goes away once the person has signed in.
 */
export function serversNeedingSignIn(
  servers: readonly ServerDto[],
  enabledServers: readonly string[],
  cards: readonly ToolCallCard[],
): ServerDto[] {
  const concerned = new Set([
    ...enabledServers,
    ...cards.flatMap((card) => (card.status === 'failed' && card.tool.serverId ? [card.tool.serverId] : [])),
  ]);
  return servers.filter((server) => server.connection === 'needs_sign_in' && concerned.has(server.id));
}

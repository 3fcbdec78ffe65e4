import type { SHOWN_AUDIO_TYPES, SHOWN_IMAGE_TYPES, ToolAnnotations } from './chat-events.ts';
import type { SessionUser } from './types.ts';

export type ToolPolicy = 'ask' | 'auto' | 'deny';
/** A person's own setting for a tool: stricter than the admin's, never looser. */
export type PersonalPolicy = 'ask' | 'deny';
/** `needs_sign_in`: the server wants the person to sign in at its authorisation server (MCP_SIGN_IN_PATH starts it). */
export type ConnectionState = 'connected' | 'unavailable' | 'needs_sign_in' | 'disconnected' | 'disabled';

/** Open `${MCP_SIGN_IN_PATH}?server=<id>&returnTo=<path>` in the browser to sign in to a server; it comes back to `returnTo`. */
export const MCP_SIGN_IN_PATH = '/mcp-oauth/start';

/** A catalogue tool as a person sees it: what it does, its hints, and what the policy says. */
export interface ToolDto {
  uniqueName: string;
  name: string;
  title: string | null;
  description: string;
  annotations: ToolAnnotations;
  /** The admin's setting for this tool (deny: the model never sees it). */
  policy: ToolPolicy;
  /** The person's own stricter setting, if any: they may tighten the admin's policy, never loosen it. */
  myPolicy: PersonalPolicy | null;
  /** Its definition changed since an admin approved it: held back from the model until reviewed. */
  held: boolean;
  /** Set when the model is never offered this tool (held for review, or a call Countersign cannot make): why. */
  unavailable?: string;
}

/** A catalogue server as a person sees it (no URLs, commands or secrets). */
export interface ServerDto {
  id: string;
  name: string;
  description: string;
  transport: 'streamable-http' | 'sse' | 'stdio';
  connection: ConnectionState;
  /** Why it is unavailable or needs a sign-in, in words a person can act on. */
  error: string | null;
  tools: ToolDto[];
}

export interface ModelInfo {
  id: string;
  label: string;
  /** The offline demo model: labelled as such in every client. */
  offlineDemo: boolean;
}

/** What `session.initialize` returns: who is signed in and what they work with. */
export interface InitializeResult {
  user: SessionUser;
  model: ModelInfo;
  /** The development sign-in is in use: clients label it. */
  devSignIn: boolean;
  /** Catalogue server ids the person has connected. */
  connectedServers: string[];
}

/** A person's sign-in at a catalogue server's authorisation server, as they see it (never a token). */
export interface McpAuthorisationDto {
  serverId: string;
  serverName: string;
  /** What the authorisation server granted (space-separated scopes), when it said. */
  scope: string | null;
  /** When the person signed in (ISO 8601). */
  authorisedAt: string;
  /** When the current access token lapses (ISO 8601); Countersign refreshes it when it can. Null: the server did not say. */
  expiresAt: string | null;
}

/**
 * One piece of a resource read for a person (`servers.readResource`): its text, or an image or
 * audio clip of the types a tool card shows, base64.
 */
export type ResourceContentDto =
  | { uri: string; mimeType?: string; text: string }
  | { uri: string; mimeType: (typeof SHOWN_IMAGE_TYPES)[number] | (typeof SHOWN_AUDIO_TYPES)[number]; data: string };

/** A resource as read for a person: what is shown, bounded like a tool card, and a line for each piece left out and why. */
export interface ResourceReadDto {
  contents: ResourceContentDto[];
  leftOut: string[];
}

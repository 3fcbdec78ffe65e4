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
  /** The folders (file:// root URIs) its admin lets people offer it: each chat offers those its owner chooses (`ChatDto.roots`). */
  roots: { uri: string; name: string | null }[];
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

/** A prompt of a server enabled in the chat, as the composer lists it (`servers.prompts`). */
export interface PromptDto {
  serverId: string;
  serverName: string;
  name: string;
  title: string | null;
  description: string | null;
  arguments: { name: string; description: string | null; required: boolean }[];
}

/** What `servers.prompts` returns: the prompts, and a line for each server that could not list them all, and why. */
export interface PromptListDto {
  prompts: PromptDto[];
  leftOut: string[];
}

/**
 * A prompt filled in with the person's arguments (`servers.getPrompt`): each message as text,
 * what is not text named ("[image image/png]"), at most 64 KB of text; `leftOut` says what was cut.
 */
export interface FilledPromptDto {
  description: string | null;
  messages: { role: 'user' | 'assistant'; text: string }[];
  leftOut: string[];
}

/** A resource of a server enabled in the chat, to attach to a message (`servers.resources`). */
export interface ResourceDto {
  serverId: string;
  serverName: string;
  uri: string;
  name: string;
  title: string | null;
  description: string | null;
  mimeType: string | null;
}

/** A resource template: the person fills in `variables` (shared/uri-template.ts makes the URI), completed by `servers.complete`. */
export interface ResourceTemplateDto {
  serverId: string;
  serverName: string;
  uriTemplate: string;
  name: string;
  title: string | null;
  description: string | null;
  mimeType: string | null;
  variables: string[];
}

/** What `servers.resources` returns, with a line for each server that could not list them all, and why. */
export interface ResourceListDto {
  resources: ResourceDto[];
  templates: ResourceTemplateDto[];
  leftOut: string[];
}

/** Suggestions for what the person is typing into an argument (`servers.complete`), at most 100. */
export interface CompletionDto {
  values: string[];
  /** The server has more than these: typing more narrows them. */
  hasMore: boolean;
}

/**
 * A person signing in to one catalogue server's authorisation server, from "Sign in to <server>"
 * to the callback. `start` asks the server itself: an unauthenticated request gets its 401 and
 * WWW-Authenticate challenge, and the SDK's `auth()` does discovery, registration and PKCE from
 * there, through the same transport code a connection uses; the flow it starts is kept in
 * FlowStore. `finish` takes that flow back by its `state` (once), checks it is this person's, and
 * exchanges the code, checking the `iss` the authorisation server sent. Tokens end sealed in
 * AuthorisationStore; the person's connection picks them up on its next use.
 */
import { auth, Client, OAuthError, UnauthorizedError } from '@modelcontextprotocol/client';
import pkg from '../../../package.json' with { type: 'json' };
import { safeReturnTo } from '../../auth/sign-in-flow.ts';
import type { CatalogueEntry, CatalogueService } from '../catalogue.ts';
import { resolveHeaders } from '../secrets.ts';
import { openClient } from '../transports.ts';
import { guardedFetch } from './authorization-url-guard.ts';
import { PersonOAuthProvider } from './person-provider.ts';
import { metadataRefused, refusedBy } from './refusal.ts';
import type { ServerAuth } from './server-auth.ts';

const PROBE_TIMEOUT_MS = 15_000;

/** A sign-in that cannot go on; `status` and `message` are for the person's browser. */
export class McpSignInError extends Error {
  override name = 'McpSignInError';
  constructor(
    readonly status: number,
    message: string,
    /** Where the person can go back to. */
    readonly returnTo = '/',
  ) {
    super(message);
  }
}

export interface McpSignInDeps {
  catalogue: CatalogueService;
  auth: ServerAuth;
  origin: () => string;
}

export class McpSignIn {
  constructor(private readonly deps: McpSignInDeps) {}

  /** Where to send the person's browser: the authorisation server, or straight back when they need no sign-in. */
  async start(userId: string, serverId: string, rawReturnTo: string | null): Promise<string> {
    const returnTo = safeReturnTo(rawReturnTo);
    const found = await this.deps.catalogue.get(serverId);
    // Its tokens come from the person's own sign-in: signing in to Countersign again renews them.
    if (found?.enabled && found.authMode === 'on-behalf-of') return `/auth/login?returnTo=${encodeURIComponent(returnTo)}`;
    const entry = oauthEntry(found, returnTo);
    const { flows } = this.deps.auth.deps;
    // A sign-in the server already asked for (a refused refresh, more scope) is the one to finish.
    const pending = await flows.latest(userId, serverId);
    if (pending) {
      await flows.setReturnTo(pending, returnTo);
      return pending.authorizationUrl;
    }
    const provider = this.deps.auth.forSignIn(userId, entry, returnTo);
    try {
      const opened = await this.#probe(userId, entry, provider);
      await opened.close();
      return returnTo;
    } catch (error) {
      if (error instanceof UnauthorizedError && provider.startedFlow) return provider.startedFlow.authorizationUrl;
      throw this.#explain(entry, error, returnTo);
    }
  }

  /** Completes the sign-in the callback's `state` names; returns where the person goes next. */
  async finish(userId: string, query: URLSearchParams): Promise<{ returnTo: string; serverId: string; serverName: string }> {
    const state = query.get('state');
    const flow = state ? await this.deps.auth.deps.flows.take(state) : undefined;
    if (!flow) throw new McpSignInError(400, 'This sign-in has expired or was already used. Start it again from the chat.');
    if (flow.userId !== userId) throw new McpSignInError(403, 'This sign-in was started by another account. Start it again from the chat.');
    const entry = oauthEntry(await this.deps.catalogue.get(flow.serverId), flow.returnTo);
    const refusal = query.get('error');
    if (refusal) {
      const description = query.get('error_description');
      throw new McpSignInError(
        400,
        `The authorisation server refused: ${refusal}${description ? ` (${description})` : ''}.`,
        flow.returnTo,
      );
    }
    const code = query.get('code');
    if (!code) throw new McpSignInError(400, 'The authorisation server sent no authorization code.', flow.returnTo);
    const provider = new PersonOAuthProvider(userId, entry, this.deps.auth.deps, flow);
    try {
      const result = await auth(provider, {
        serverUrl: entry.url!,
        authorizationCode: code,
        iss: query.get('iss') ?? undefined,
        scope: flow.scope,
        fetchFn: this.#fetch(entry),
      });
      if (result !== 'AUTHORIZED') throw new McpSignInError(502, `${entry.name} did not accept the sign-in.`, flow.returnTo);
    } catch (error) {
      throw this.#explain(entry, error, flow.returnTo);
    }
    return { returnTo: flow.returnTo, serverId: entry.id, serverName: entry.name };
  }

  /** An unauthenticated connect, through the same transports as a connection, that lets the server start the sign-in. */
  #probe(userId: string, entry: CatalogueEntry, provider: PersonOAuthProvider) {
    const { catalogue, auth: serverAuth, origin } = this.deps;
    return openClient({
      entry,
      headers: resolveHeaders(entry, origin(), process.env, catalogue.boundary.limits.allowedSecretEnv),
      boundary: catalogue.boundary,
      userId,
      userToken: () => Promise.reject(new Error('the user token is only for the built-in server')),
      auth: provider,
      urls: serverAuth.deps.urls,
      inProcess: undefined,
      profile: undefined,
      timeoutMs: PROBE_TIMEOUT_MS,
      newClient: (mode) => new Client({ name: 'countersign', version: pkg.version }, { capabilities: {}, versionNegotiation: { mode } }),
      onStderr: () => {},
    });
  }

  #fetch(entry: CatalogueEntry) {
    const base = this.deps.catalogue.boundary.fetch ?? globalThis.fetch;
    return guardedFetch(base, this.deps.auth.deps.urls, new URL(entry.url!).origin);
  }

  #explain(entry: CatalogueEntry, error: unknown, returnTo: string): McpSignInError {
    if (error instanceof McpSignInError) return error;
    if (error instanceof OAuthError) return new McpSignInError(502, `${entry.name}: ${refusedBy(error)}.`, returnTo);
    const refused = metadataRefused(error);
    if (refused) return new McpSignInError(502, `${entry.name}: ${refused}.`, returnTo);
    const message = error instanceof Error ? error.message : String(error);
    return new McpSignInError(502, `${entry.name}: the sign-in could not start: ${message}`, returnTo);
  }
}

/** The entry a sign-in is for: enabled, in per-person OAuth mode, reached over HTTP. */
function oauthEntry(entry: CatalogueEntry | undefined, returnTo: string): CatalogueEntry {
  if (!entry?.enabled) throw new McpSignInError(404, 'This server is not in the catalogue, or an administrator turned it off.', returnTo);
  if (entry.authMode !== 'oauth' || !entry.url)
    throw new McpSignInError(400, `${entry.name} does not ask people to sign in: nothing to do here.`, returnTo);
  return entry;
}

/**
 * Opens one MCP client for a catalogue entry: Streamable HTTP for URLs, falling back to the
 * legacy HTTP+SSE transport when the server answers the POST with a 4xx (the spec's backwards-
 * compatibility rule), and stdio for the commands admins put in the catalogue.
 *
 * The client negotiates the protocol era ('auto': a `server/discover` probe, then 2026-07-28 or
 * the 2025 `initialize`). The verdict is remembered as a profile, so reconnects skip the probe;
 * on stdio that probe costs a second process.
 *
 * The trust boundary applies here, at every open: the stdio program must be one the operator
 * allows, and HTTP requests go through its address-checking fetch when private addresses are refused.
 *
 * The built-in server, named by an entry at this server's own /mcp with the user token, is
 * reached in process when the caller can (in-process-server.ts): same server, same tools, same
 * user, without an HTTP session per person.
 */
import {
  type Client,
  type PriorDiscovery,
  SdkHttpError,
  SSEClientTransport,
  StreamableHTTPClientTransport,
  type Transport,
} from '@modelcontextprotocol/client';
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { INTERNAL_MCP_PATH } from '../mcp-server/routes.ts';
import type { CatalogueEntry } from './catalogue-store.ts';
import type { InProcessServer } from './in-process-server.ts';
import { guardedFetch, type UrlPolicy } from './oauth/authorization-url-guard.ts';
import type { TransportAuth } from './oauth/server-auth.ts';
import type { ResolvedHeaders } from './secrets.ts';
import type { TrustBoundary } from './trust-boundary.ts';

export interface ServerProfile {
  transport: 'streamable-http' | 'sse' | 'stdio';
  /** Absent until the first connect: then the era probe runs. */
  prior: PriorDiscovery | undefined;
}

/** What a connection uses of its MCP client. */
export type ToolClient = Pick<
  Client,
  | 'listTools'
  | 'callTool'
  | 'readResource'
  | 'getNegotiatedProtocolVersion'
  | 'getServerCapabilities'
  | 'listPrompts'
  | 'getPrompt'
  | 'listResources'
  | 'listResourceTemplates'
  | 'complete'
>;

export interface OpenedClient {
  client: ToolClient;
  profile: ServerProfile;
  /** The stdio server's process id, for status pages and for tests that crash it on purpose. */
  pid: number | undefined;
  /** Ends the session (HTTP DELETE, or the child process) and closes the client. */
  close(): Promise<void>;
}

export interface OpenParams {
  entry: CatalogueEntry;
  headers: ResolvedHeaders;
  boundary: TrustBoundary;
  /** The connecting user. */
  userId: string;
  /** A bearer token for the connecting user; called before every HTTP request. */
  userToken: () => Promise<string>;
  /** How the entry's auth mode proves who is calling (OAuth, client credentials); absent: headers only. */
  auth: TransportAuth | undefined;
  /** Which authorisation-server URLs OAuth may fetch. */
  urls: UrlPolicy;
  /** Absent: the built-in server is reached over HTTP like any other (an admin's connection test). */
  inProcess: InProcessServer | undefined;
  profile: ServerProfile | undefined;
  timeoutMs: number;
  /** Builds a client with its notification handlers in place; called once per attempt. */
  newClient: (versionNegotiation: 'auto' | 'legacy') => Client;
  onStderr: (line: string) => void;
}

const LEGACY: PriorDiscovery = { kind: 'legacy' };
const SESSION_END_TIMEOUT_MS = 2_000;

/** A 4xx other than an auth failure on the first POST: the server does not speak Streamable HTTP. */
function meansLegacySse(error: unknown): boolean {
  return error instanceof SdkHttpError && error.status >= 400 && error.status < 500 && error.status !== 401 && error.status !== 403;
}

/** The entry names the built-in server: resolveHeaders hands the user token only to this server's own origin. */
function isBuiltInServer({ entry, headers }: OpenParams): boolean {
  return entry.transport === 'streamable-http' && headers.userToken && new URL(entry.url!).pathname === INTERNAL_MCP_PATH;
}

export async function openClient(params: OpenParams): Promise<OpenedClient> {
  const { entry, profile } = params;
  if (params.inProcess && isBuiltInServer(params)) return openInProcess(params.inProcess, params);
  if (entry.transport === 'stdio') return openStdio(params);
  if (entry.transport === 'sse' || profile?.transport === 'sse') return openSse(params);
  try {
    return await openStreamableHttp(params);
  } catch (error) {
    if (!meansLegacySse(error)) throw error;
    return openSse(params);
  }
}

/** Connects, or closes the half-open client and rethrows; returns the era verdict to reuse next time. */
async function connect(client: Client, transport: Transport, wanted: ServerProfile, timeoutMs: number): Promise<ServerProfile> {
  try {
    await client.connect(transport, { timeout: timeoutMs, prior: wanted.prior });
  } catch (error) {
    await client.close().catch(() => {});
    throw error;
  }
  const discover = client.getDiscoverResult();
  return { transport: wanted.transport, prior: discover ? { kind: 'modern', discover } : LEGACY };
}

function httpOptions(params: OpenParams) {
  const fetch = params.boundary.fetch ?? globalThis.fetch;
  const authProvider = params.auth ?? (params.headers.userToken ? { token: params.userToken } : undefined);
  return {
    requestInit: { headers: params.headers.headers },
    // OAuth discovery and token requests go through this fetch too: metadata cannot point them at a file or a script.
    fetch: params.auth ? guardedFetch(fetch, params.urls, new URL(params.entry.url!).origin) : fetch,
    ...(authProvider ? { authProvider } : {}),
  };
}

async function openStreamableHttp(params: OpenParams): Promise<OpenedClient> {
  const transport = new StreamableHTTPClientTransport(new URL(params.entry.url!), httpOptions(params));
  const client = params.newClient('auto');
  const wanted = params.profile ?? { transport: 'streamable-http', prior: undefined };
  const profile = await connect(client, transport, wanted, params.timeoutMs);
  return {
    client,
    profile,
    pid: undefined,
    async close() {
      // Frees the server's session state now rather than whenever it times out; servers may refuse
      // (405). Bounded, so a hung server cannot hold up a shutdown or an admin's "disable".
      await Promise.race([transport.terminateSession().catch(() => {}), Bun.sleep(SESSION_END_TIMEOUT_MS)]);
      await client.close();
    },
  };
}

async function openInProcess(server: InProcessServer, params: OpenParams): Promise<OpenedClient> {
  const client = await server.open(params.userId, params.timeoutMs);
  // Nothing of the person's to free: the shared connection stays for the others.
  return { client, profile: { transport: 'streamable-http', prior: LEGACY }, pid: undefined, close: async () => {} };
}

async function openSse(params: OpenParams): Promise<OpenedClient> {
  const transport = new SSEClientTransport(new URL(params.entry.url!), httpOptions(params));
  // HTTP+SSE predates the 2026 era: there is nothing to probe.
  const client = params.newClient('legacy');
  const profile = await connect(client, transport, { transport: 'sse', prior: LEGACY }, params.timeoutMs);
  return { client, profile, pid: undefined, close: () => client.close() };
}

async function openStdio(params: OpenParams): Promise<OpenedClient> {
  const { entry } = params;
  const transport = new StdioClientTransport({
    command: params.boundary.stdioCommand(entry),
    args: entry.args,
    env: { ...getDefaultEnvironment(), ...entry.env },
    // Piped and read line by line: an unread pipe fills up and blocks a chatty server.
    stderr: 'pipe',
  });
  transport.stderr?.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) params.onStderr(line.slice(0, 500));
  });
  const client = params.newClient('auto');
  const profile = await connect(client, transport, params.profile ?? { transport: 'stdio', prior: undefined }, params.timeoutMs);
  return { client, profile, pid: transport.pid ?? undefined, close: () => client.close() };
}

/**
 * A real MCP server behind OAuth on 127.0.0.1, built only from the MCP SDK (1.32, the server side)
 * the way a third party would build one, for tests of Countersign's MCP OAuth client:
 * - it answers a request without a valid token with 401 and a `WWW-Authenticate` naming its
 *   RFC 9728 protected resource metadata, which names the authorisation server
 *   (tests/support/oauth-authorization-server.ts);
 * - it registers itself at that server (dynamic client registration) and asks its introspection
 *   endpoint about every token, so a revoked token is refused at once, and accepts only tokens
 *   issued for this server (their audience) with the required scopes;
 * - tools: `whoami` (the token's subject and scopes) and `add`.
 * Stateless: a server and a transport per request.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { discoverAuthorizationServerMetadata, registerClient } from '@modelcontextprotocol/sdk/client/auth.js';
import { InvalidTokenError } from '@modelcontextprotocol/sdk/server/auth/errors.js';
import { requireBearerAuth } from '@modelcontextprotocol/sdk/server/auth/middleware/bearerAuth.js';
import type { OAuthTokenVerifier } from '@modelcontextprotocol/sdk/server/auth/provider.js';
import { getOAuthProtectedResourceMetadataUrl, mcpAuthMetadataRouter } from '@modelcontextprotocol/sdk/server/auth/router.js';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import { createMcpExpressApp } from '@modelcontextprotocol/sdk/server/express.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { OAuthMetadataSchema } from '@modelcontextprotocol/sdk/shared/auth.js';
import { z } from 'zod';
import type { AuthorizationServer } from './oauth-authorization-server.ts';

export interface SeenRequest {
  /** The token's subject: the email of the person who signed in. */
  subject: string;
  accessToken: string;
}

export interface ProtectedMcpServer {
  /** The MCP endpoint, `http://127.0.0.1:<port>/mcp`, which is also the resource its tokens are for. */
  readonly url: string;
  /** Every MCP message (a POST) that carried a valid token, in order. */
  readonly seen: SeenRequest[];
  /** From now on `accessToken` is refused as expired, so the client must refresh it. */
  expire(accessToken: string): void;
  stop(): Promise<void>;
}

export interface ProtectedMcpServerOptions {
  authorizationServer: AuthorizationServer;
  /** Every token must carry these; also the scopes the metadata offers (default `mcp:tools`). */
  requiredScopes?: string[];
}

/** RFC 7662: what the server reads of an introspection answer. */
const Introspection = z.object({
  active: z.boolean(),
  sub: z.string().optional(),
  client_id: z.string().optional(),
  scope: z.string().optional(),
  aud: z.union([z.string(), z.array(z.string())]).optional(),
  exp: z.number().optional(),
});

export async function startProtectedMcpServer(options: ProtectedMcpServerOptions): Promise<ProtectedMcpServer> {
  const requiredScopes = options.requiredScopes ?? ['mcp:tools'];
  const app = createMcpExpressApp();
  const server: Server = await new Promise((resolve, reject) => {
    const listening: Server = app.listen(0, '127.0.0.1', () => resolve(listening));
    listening.once('error', reject);
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`;

  const issuer = options.authorizationServer.issuer;
  options.authorizationServer.addResource(url, requiredScopes);
  // RFC 8414 metadata, which is what the resource metadata router serves again.
  const oauthMetadata = OAuthMetadataSchema.parse(await discoverAuthorizationServerMetadata(issuer));
  if (!oauthMetadata.introspection_endpoint) throw new Error(`${issuer} offers no token introspection`);
  const introspectionEndpoint = oauthMetadata.introspection_endpoint;
  const credentials = await registerClient(issuer, {
    metadata: oauthMetadata,
    clientMetadata: {
      client_name: 'protected MCP server (introspection)',
      redirect_uris: [],
      grant_types: [],
      response_types: [],
      token_endpoint_auth_method: 'client_secret_basic',
    },
  });
  const basic = `Basic ${btoa(`${encodeURIComponent(credentials.client_id)}:${encodeURIComponent(credentials.client_secret ?? '')}`)}`;

  const expired = new Set<string>();
  const seen: SeenRequest[] = [];
  const verifier: OAuthTokenVerifier = {
    async verifyAccessToken(token) {
      if (expired.has(token)) throw new InvalidTokenError('The access token expired');
      const response = await fetch(introspectionEndpoint, {
        method: 'POST',
        headers: { authorization: basic },
        body: new URLSearchParams({ token }),
      });
      if (!response.ok) throw new Error(`introspection answered ${response.status}: ${await response.text()}`);
      const answer = Introspection.parse(await response.json());
      if (!answer.active || !answer.sub) throw new InvalidTokenError('The access token is not active');
      const audience = [answer.aud ?? []].flat();
      return {
        token,
        clientId: answer.client_id ?? '',
        scopes: answer.scope?.split(' ') ?? [],
        expiresAt: answer.exp,
        // Only one audience can be this server's resource; requireBearerAuth compares it.
        resource: audience.length === 1 && audience[0] ? new URL(audience[0]) : undefined,
        extra: { subject: answer.sub },
      };
    },
  };

  const resourceMetadataUrl = getOAuthProtectedResourceMetadataUrl(new URL(url));
  app.use(
    mcpAuthMetadataRouter({
      oauthMetadata,
      resourceServerUrl: new URL(url),
      scopesSupported: requiredScopes,
      resourceName: 'Protected test MCP server',
    }),
  );
  const bearer = requireBearerAuth({ verifier, requiredScopes, resourceMetadataUrl, expectedResource: new URL(url) });
  // requireBearerAuth has set `auth`; createMcpExpressApp's JSON parser, `body`.
  app.post('/mcp', bearer, (req: IncomingMessage & { auth: AuthInfo; body: unknown }, res: ServerResponse) => {
    seen.push({ subject: String(req.auth.extra?.subject), accessToken: req.auth.token });
    const mcp = mcpServer();
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    res.on('close', () => {
      void transport.close();
      void mcp.close();
    });
    mcp
      .connect(transport)
      .then(() => transport.handleRequest(req, res, req.body))
      .catch((error: unknown) => {
        console.error('protected MCP server failed', error);
        if (!res.headersSent) res.writeHead(500).end();
      });
  });
  // Stateless: no stream to open (GET) and no session to end (DELETE).
  app.all('/mcp', bearer, (_req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(405, { allow: 'POST' }).end();
  });

  return {
    url,
    seen,
    expire(accessToken) {
      expired.add(accessToken);
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function mcpServer(): McpServer {
  const server = new McpServer({ name: 'protected-test-server', version: '1.0.0' });
  server.registerTool('whoami', { description: 'Who the access token of this call belongs to, and its scopes.' }, (extra) => ({
    content: [{ type: 'text', text: `${extra.authInfo?.extra?.subject} with scopes ${extra.authInfo?.scopes.join(' ')}` }],
  }));
  server.registerTool('add', { description: 'Adds two numbers.', inputSchema: { a: z.number(), b: z.number() } }, ({ a, b }) => ({
    content: [{ type: 'text', text: String(a + b) }],
  }));
  return server;
}

/**
 * The surface of oidc-provider the development provider uses to issue the app refresh tokens and
 * on-behalf-of tokens (a custom grant type issuing a JWT access token for another API), checked
 * against oidc-provider 9.13's lib/provider.js, lib/models/access_token.js and
 * lib/helpers/resource_server.js. Merges with oidc-provider.d.ts.
 */
declare module 'oidc-provider' {
  export interface Client {
    clientId: string;
  }

  /** What a grant handler sees of a token request: Koa's context, with the client authenticated. */
  export interface GrantContext {
    oidc: { params: Record<string, unknown>; client: Client };
    status: number;
    body: unknown;
  }

  /** What getResourceServerInfo returns for an API (resource indicator). */
  export interface ResourceServerInfo {
    scope: string;
    /** The tokens' `aud`; the resource indicator when unset. */
    audience?: string;
    accessTokenFormat?: 'opaque' | 'jwt';
    jwt?: { sign?: { alg: string } };
  }

  export interface ResourceServer {
    identifier(): string;
  }

  export interface AccessToken {
    resourceServer: ResourceServer;
    /** Seconds it lives (ttl.AccessToken). */
    readonly expiration: number;
    /** Returns the token's value: the signed JWT, for a resource server with the jwt format. */
    save(): Promise<string>;
  }

  export default interface Provider {
    /** The path of one of its endpoints, e.g. `/auth` for 'authorization'. */
    pathFor(name: 'authorization' | 'token'): string;
    /** `params`: the request parameters the handler reads, besides grant_type and client authentication. */
    registerGrantType(name: string, handler: (ctx: GrantContext) => Promise<void>, params?: readonly string[]): void;
    readonly AccessToken: new (properties: { accountId: string; client: Client }) => AccessToken;
    readonly ResourceServer: new (identifier: string, info: ResourceServerInfo) => ResourceServer;
  }
}

/**
 * The part of oidc-provider (9.13, lib/models/grant.js, lib/models/refresh_token.js,
 * lib/helpers/interaction_policy) that tests/support/oauth-authorization-server.ts uses beyond
 * server/auth/oidc-provider.d.ts: grants for a resource server, revoking them, and the
 * interaction policy. Merges with that declaration.
 */
declare module 'oidc-provider' {
  export interface Grant {
    /** The grant's id, which save() returns too. */
    readonly jti: string;
    addResourceScope(resource: string, scope: string): void;
    destroy(): Promise<void>;
  }

  export default interface Provider {
    readonly RefreshToken: {
      /** Revokes the tokens issued under the grant (the memory adapter drops every kind at once). */
      revokeByGrantId(grantId: string): Promise<void>;
    };
  }

  interface Check {
    readonly reason: string;
  }

  interface Prompt {
    readonly name: string;
    readonly checks: Check[] & { add(check: Check): void };
  }

  export const interactionPolicy: {
    base(): Prompt[] & { get(name: string): Prompt | undefined };
    Check: {
      new (reason: string, description: string, check: (ctx: { oidc: { result?: { login?: unknown } } }) => boolean): Check;
      readonly REQUEST_PROMPT: true;
      readonly NO_NEED_TO_PROMPT: false;
    };
  };
}

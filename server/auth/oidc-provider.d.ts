/**
 * oidc-provider ships no types. This declares only the surface dev-provider.ts uses,
 * checked against oidc-provider 9.13's lib/provider.js.
 */
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  export interface InteractionDetails {
    uid: string;
    prompt: { name: string };
    params: Record<string, unknown>;
  }

  export interface Grant {
    addOIDCScope(scope: string): void;
    save(): Promise<string>;
  }

  export default class Provider {
    constructor(issuer: string, configuration: Record<string, unknown>);
    /** Koa's request listener for node:http. */
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
    cookieName(type: 'session' | 'interaction' | 'resume'): string;
    interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<InteractionDetails>;
    interactionFinished(
      req: IncomingMessage,
      res: ServerResponse,
      result: Record<string, unknown>,
      options?: { mergeWithLastSubmission?: boolean },
    ): Promise<void>;
    readonly Grant: new (properties: {
      accountId: string;
      clientId: string;
    }) => Grant;
    on(event: 'server_error', listener: (ctx: unknown, error: Error) => void): this;
  }

  /** Error classes (lib/helpers/errors.js); a provider throws InvalidTarget for a resource it does not serve. */
  export const errors: {
    InvalidTarget: new (description?: string) => Error;
  };
}

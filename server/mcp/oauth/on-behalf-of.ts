/**
 * Entra ID's on-behalf-of exchange: the OAuth 2.0 JWT-bearer grant (RFC 7523) with
 * `requested_token_use=on_behalf_of`. A person's access token for Countersign, from their sign-in
 * (auth/identity-tokens.ts), becomes a token for an MCP server protected by the same tenant, so the
 * person is never asked to sign in again. Countersign authenticates as its own registration, the
 * way it does at sign-in (client_secret_basic); the exchange needs a confidential client.
 */
import { assertSecureTokenEndpoint, type FetchLike, parseErrorResponse } from '@modelcontextprotocol/client';
import { z } from 'zod';
import { refusedBy } from './refusal.ts';

const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const TIMEOUT_MS = 10_000;

export interface OnBehalfOfRequest {
  /** The token endpoint of Countersign's own provider (its discovery document's token_endpoint). */
  tokenEndpoint: string;
  clientId: string;
  clientSecret: string;
  /** The person's access token for Countersign. */
  assertion: string;
  /** What to ask for, naming the MCP server's API: with Entra ID `api://<application id>/.default`. */
  scope: string;
  fetch?: FetchLike;
}

export interface OnBehalfOfToken {
  accessToken: string;
  /** Null when the server did not say (no expires_in). */
  expiresAt: Date | null;
  /** What was granted, when the server said. */
  scope: string | null;
}

const tokenResponseSchema = z.object({
  access_token: z.string().min(1),
  // Entra ID's v1 endpoint sends it as a string.
  expires_in: z.coerce.number().positive().optional(),
  scope: z.string().optional(),
});

/**
 * Throws an Error saying what the server refused ("the authorisation server refused: invalid_grant
 * (…)", with the SDK's OAuthError as its cause), or that it could not be reached.
 */
export async function exchangeOnBehalfOf(request: OnBehalfOfRequest): Promise<OnBehalfOfToken> {
  // The assertion is a bearer token of the person's: it goes over TLS only (loopback aside).
  const url = assertSecureTokenEndpoint(request.tokenEndpoint);
  const body = new URLSearchParams({
    grant_type: JWT_BEARER,
    assertion: request.assertion,
    requested_token_use: 'on_behalf_of',
    scope: request.scope,
  });
  const credentials = `${encodeURIComponent(request.clientId)}:${encodeURIComponent(request.clientSecret)}`;
  const response = await (request.fetch ?? fetch)(url, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(credentials).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'application/json',
    },
    body,
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  if (!response.ok) {
    const refusal = await parseErrorResponse(response);
    throw new Error(refusedBy(refusal), { cause: refusal });
  }
  const parsed = tokenResponseSchema.safeParse(await response.json().catch(() => undefined));
  if (!parsed.success) throw new Error(`the authorisation server answered the on-behalf-of exchange without a usable token`);
  const { access_token, expires_in, scope } = parsed.data;
  return {
    accessToken: access_token,
    expiresAt: expires_in === undefined ? null : new Date(Date.now() + expires_in * 1000),
    scope: scope ?? null,
  };
}

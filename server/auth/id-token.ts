/**
 * Verifies an id_token with jose: signature against the provider's published keys (JWKS),
 * issuer, audience, expiry and nonce; for Entra ID (or whenever a tenant list is configured)
 * also the tenant (`tid`). Arctic's own `decodeIdToken` checks none of this. The person's groups
 * come from the token too (group-claim.ts).
 */
import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from 'jose';
import type { Logger } from '../log.ts';
import type { Discovery } from './discovery.ts';
import { SignInError } from './errors.ts';
import { readGroupClaim } from './group-claim.ts';
import type { SignInProfile } from './users-store.ts';

const ENTRA_HOSTS = new Set([
  'login.microsoftonline.com',
  'login.microsoftonline.us',
  'login.chinacloudapi.cn',
  'login.partner.microsoftonline.cn',
]);
const TENANT_PLACEHOLDER = '{tenantid}';
/** Clock skew allowed between us and the provider. */
const CLOCK_TOLERANCE_SECONDS = 60;

export function isEntraAuthority(authority: string): boolean {
  return ENTRA_HOSTS.has(new URL(authority).hostname);
}

export interface IdTokenOptions {
  clientId: string;
  /** Entra ID: users are keyed by `oid` and the tenant is always checked. */
  entra: boolean;
  /** Tenant ids (`tid`) allowed to sign in; undefined: any (only for a non-Entra provider). */
  allowedTenants: string[] | undefined;
  /** Says when a token's groups were cut short or withheld (Entra ID's groups overage). */
  log: Logger;
}

const refused = (detail: string, cause?: unknown) =>
  new SignInError(400, 'Sign-in could not be verified', `${detail} Start again; if it keeps happening, tell your administrator.`, {
    cause,
  });

export class IdTokenVerifier {
  #jwks: { uri: string; keys: ReturnType<typeof createRemoteJWKSet> } | undefined;

  constructor(
    private readonly discovery: Discovery,
    private readonly options: IdTokenOptions,
  ) {}

  /** The verified identity, or a SignInError saying which check failed. */
  async verify(idToken: string, expectedNonce: string): Promise<SignInProfile> {
    const metadata = await this.discovery.metadata();
    const payload = await this.#verifySignatureAudienceExpiry(idToken, metadata.jwks_uri);
    const tenantId = typeof payload.tid === 'string' ? payload.tid : null;

    // Entra ID's multi-tenant discovery documents name the issuer with a placeholder for the tenant.
    const templated = metadata.issuer.includes(TENANT_PLACEHOLDER);
    const expectedIssuer = templated && tenantId ? metadata.issuer.replace(TENANT_PLACEHOLDER, tenantId) : metadata.issuer;
    if (payload.iss !== expectedIssuer) {
      throw refused(
        `The id_token was issued by ${JSON.stringify(payload.iss ?? null)}, not by the configured provider ${JSON.stringify(expectedIssuer)}.`,
      );
    }
    if (typeof payload.nonce !== 'string') throw refused('The id_token carries no nonce.');
    if (payload.nonce !== expectedNonce)
      throw refused('The id_token nonce does not match this sign-in attempt (a replayed or mixed-up response).');
    this.#checkTenant(tenantId, templated);

    const subject = this.options.entra && typeof payload.oid === 'string' ? payload.oid : payload.sub;
    if (!subject) throw refused('The id_token names no subject.');
    const { groups, overage, ignored } = readGroupClaim(payload);
    if (overage)
      this.options.log.warn('the id_token names no groups: the person is in too many (groups overage), so they count as in none', {
        subject,
      });
    if (ignored > 0) this.options.log.warn('some of the id_token groups were ignored', { subject, ignored, kept: groups.length });
    return {
      issuer: payload.iss,
      subject,
      tenantId,
      email: emailOf(payload, this.options.entra),
      name: typeof payload.name === 'string' ? payload.name : null,
      groups,
    };
  }

  async #verifySignatureAudienceExpiry(idToken: string, jwksUri: string): Promise<JWTPayload & { iss: string }> {
    if (this.#jwks?.uri !== jwksUri) this.#jwks = { uri: jwksUri, keys: createRemoteJWKSet(new URL(jwksUri)) };
    try {
      const { payload } = await jwtVerify(idToken, this.#jwks.keys, {
        audience: this.options.clientId,
        algorithms: ['RS256', 'PS256', 'ES256', 'EdDSA'],
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        requiredClaims: ['iss', 'sub', 'exp', 'iat'],
      });
      // With several audiences, OpenID Connect requires `azp` to name us.
      if (Array.isArray(payload.aud) && payload.aud.length > 1 && payload.azp !== this.options.clientId) {
        throw refused('The id_token was issued to several audiences without naming this app as authorized party.');
      }
      return payload as JWTPayload & { iss: string };
    } catch (error) {
      if (error instanceof SignInError) throw error;
      throw refused(describeJoseError(error), error);
    }
  }

  #checkTenant(tenantId: string | null, templatedIssuer: boolean): void {
    const allowed = this.options.allowedTenants;
    if (!allowed && !(this.options.entra && templatedIssuer)) return;
    const forbidden = (detail: string) =>
      new SignInError(
        403,
        'This organisation may not sign in',
        `${detail} Ask your administrator to add the tenant to ENTRA_ALLOWED_TENANTS.`,
      );
    if (!tenantId) throw forbidden('The id_token names no tenant (tid).');
    // A multi-tenant Entra authority with no list would admit every Microsoft organisation.
    if (!allowed) throw forbidden('This server accepts several tenants but lists none.');
    if (!allowed.includes(tenantId)) throw forbidden(`Tenant ${tenantId} is not on this server's list.`);
  }
}

/** Entra ID sends `email` only as an optional claim; its `preferred_username` is usually the sign-in address. */
function emailOf(payload: JWTPayload, entra: boolean): string | null {
  if (typeof payload.email === 'string') return payload.email.toLowerCase();
  if (entra && typeof payload.preferred_username === 'string' && payload.preferred_username.includes('@')) {
    return payload.preferred_username.toLowerCase();
  }
  return null;
}

function describeJoseError(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'The id_token has expired.';
  if (error instanceof errors.JWSSignatureVerificationFailed || error instanceof errors.JWKSNoMatchingKey) {
    return "The id_token is not signed by the provider's published keys.";
  }
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'aud') return 'The id_token was issued to another application (audience mismatch).';
    return `The id_token's ${error.claim} claim is invalid (${error.reason}).`;
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return 'The id_token uses a signing algorithm this app does not accept.';
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid)
    return "The provider's signing keys could not be fetched.";
  return 'The id_token is malformed.';
}

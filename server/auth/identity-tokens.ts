/**
 * A valid access token from each person's sign-in, for exchanges on their behalf (Entra ID's
 * on-behalf-of flow, mcp/oauth/on-behalf-of.ts) while they are away from the browser. The tokens
 * are saved at sign-in; an access token that has expired, or will within a minute, is refreshed
 * through the provider and the new tokens saved. A refresh the provider refuses means only a new
 * sign-in helps: the tokens are forgotten.
 */
import type { Logger } from '../log.ts';
import type { IdentityTokenStore } from './identity-token-store.ts';
import type { OAuthClient, ProviderTokens } from './oauth-client.ts';

/** Refreshed this long before expiry, so a token handed out does not lapse on its way to the exchange. */
const REFRESH_MARGIN_MS = 60_000;

export class IdentityTokens {
  /** One look-up (and refresh) per person at a time: a second refresh would spend a rotated refresh token twice. */
  readonly #pending = new Map<string, Promise<string | undefined>>();

  constructor(
    private readonly store: IdentityTokenStore,
    private readonly provider: Pick<OAuthClient, 'refresh'>,
    private readonly log: Logger,
  ) {}

  save(userId: string, tokens: ProviderTokens): Promise<void> {
    return this.store.save(userId, tokens);
  }

  /**
   * The person's access token, refreshed first when it is (nearly) expired; undefined when there is
   * none or the provider refused the refresh (they must sign in again). Throws SignInError (502) when
   * the provider cannot be reached, keeping the tokens for a later try.
   */
  accessToken(userId: string): Promise<string | undefined> {
    let pending = this.#pending.get(userId);
    if (!pending) {
      pending = this.#valid(userId).finally(() => this.#pending.delete(userId));
      this.#pending.set(userId, pending);
    }
    return pending;
  }

  forget(userId: string): Promise<void> {
    return this.store.delete(userId);
  }

  async #valid(userId: string): Promise<string | undefined> {
    const tokens = await this.store.get(userId);
    if (!tokens) return undefined;
    // No expiry given: the provider did not say, so the token is used until an exchange refuses it.
    if (!tokens.expiresAt || tokens.expiresAt.getTime() - Date.now() > REFRESH_MARGIN_MS) return tokens.accessToken;
    const renewed = tokens.refreshToken ? await this.provider.refresh(tokens.refreshToken) : undefined;
    if (!renewed) {
      this.log.info('sign-in tokens expired and cannot be refreshed; forgotten until the person signs in again', {
        userId,
        hadRefreshToken: tokens.refreshToken !== null,
      });
      await this.forget(userId);
      return undefined;
    }
    await this.store.save(userId, renewed);
    this.log.debug('sign-in tokens refreshed', { userId });
    return renewed.accessToken;
  }
}

/** What went wrong with an API call, in words for the person, and what to do when signed out. */
import { TRPCClientError } from '@trpc/client';
import { t } from '../../../shared/i18n/t.ts';

export function errorMessage(error: unknown): string {
  if (error instanceof TRPCClientError) {
    if (error.data?.code === 'TOO_MANY_REQUESTS') return t('errors.tooManyRequests');
    if (error.message === 'Failed to fetch' || error.message.startsWith('NetworkError')) return t('errors.unreachable');
    return error.message;
  }
  return error instanceof Error ? error.message : String(error);
}

export function isSignedOut(error: unknown): boolean {
  return error instanceof TRPCClientError && error.data?.code === 'UNAUTHORIZED';
}

/** The chat is not in the state this page shows (another tab moved it on, or it is still answering). */
export function isConflict(error: unknown): boolean {
  return error instanceof TRPCClientError && error.data?.code === 'CONFLICT';
}

/**
 * Set when this tab signs out itself: its form POST is already on its way to the signed-out page,
 * and the socket the server closes meanwhile must not send the tab to sign-in instead (on a busy
 * machine the close could win the race and cancel that navigation).
 */
let signingOut = false;

export function markSigningOut(): void {
  signingOut = true;
}

/** The session ended (signed out elsewhere, expired): sign in again and come back here. */
export function goToSignIn(): void {
  if (signingOut) return;
  location.assign(`/auth/login?returnTo=${encodeURIComponent(location.pathname + location.search)}`);
}

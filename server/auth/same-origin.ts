/**
 * Whether a cookie-authenticated POST comes from the app's own pages. SameSite=Lax keeps the
 * session cookie off POSTs from other sites, but not from sibling sites (another port or
 * subdomain of the same site), so the Origin decides. Browsers send Origin on every POST
 * ("null" when they hide it, which is refused); current ones also send Sec-Fetch-Site. A request
 * with neither comes from a program holding the cookie, not from a page another site can
 * trigger, so it passes.
 */
export function isFromAppOrigin(request: Request, appOrigin: string): boolean {
  const origin = request.headers.get('origin');
  if (origin !== null) return origin === appOrigin;
  const site = request.headers.get('sec-fetch-site');
  return site === null || site === 'same-origin';
}

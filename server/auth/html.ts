/**
 * The few server-rendered pages of sign-in (errors, the development account picker, signed out).
 * Everything interpolated goes through `escapeHtml`; pages load nothing from elsewhere.
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** No scripts, no remote resources, never framed, never cached. */
export const PAGE_HEADERS: Record<string, string> = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
};

const STYLE = `body{font:16px/1.5 system-ui,sans-serif;max-width:34rem;margin:3rem auto;padding:0 1rem;color:#1b1b1f}
h1{font-size:1.4rem}.note{background:#fff4d6;border:1px solid #e0b64a;padding:.6rem .8rem;border-radius:6px}
button{font:inherit;padding:.5rem .9rem;margin:.25rem 0;cursor:pointer;display:block;width:100%;text-align:left}
code{background:#f1f1f4;padding:0 .25rem}`;

/** `body` is trusted markup: build it with `escapeHtml` for every value. */
export function renderPage(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)} · Countersign</title><style>${STYLE}</style></head><body><h1>${escapeHtml(title)}</h1>
${body}</body></html>`;
}

export function htmlResponse(status: number, title: string, body: string, setCookies: string[] = []): Response {
  const response = new Response(renderPage(title, body), { status, headers: PAGE_HEADERS });
  for (const cookie of setCookies) response.headers.append('set-cookie', cookie);
  return response;
}

/**
 * GET /files/:id serves an attached file to its chat's owner (session cookie or API token, as the
 * API) and answers 404 to everyone else and for unknown ids alike, so nothing says a file exists.
 * What is served is never run or rendered as a page: images keep their checked type and show
 * inline (the chat's thumbnails), text is text/plain and PDFs download, under nosniff and a
 * sandboxing Content-Security-Policy.
 */
import { Elysia } from 'elysia';
import type { SessionUser } from '../../shared/types.ts';
import { fileDisposition } from './disposition.ts';
import { type FileService, NO_SUCH_FILE } from './file-service.ts';

export interface FilesRoutesDeps {
  authenticate(request: Request): Promise<SessionUser | null>;
  files: Pick<FileService, 'served'>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function filesRoutes({ authenticate, files }: FilesRoutesDeps) {
  return new Elysia({ name: 'files' }).get('/files/:id', async ({ request, params }) => {
    const user = UUID.test(params.id) ? await authenticate(request) : null;
    const file = user ? await files.served(user.id, params.id) : undefined;
    if (!file) return Response.json({ error: { message: NO_SUCH_FILE } }, { status: 404 });
    const inline = file.kind === 'image' && new URL(request.url).searchParams.get('download') !== '1';
    return new Response(new Uint8Array(file.data), {
      headers: {
        'content-type': file.kind === 'text' ? 'text/plain; charset=utf-8' : file.mediaType,
        'content-disposition': fileDisposition(inline ? 'inline' : 'attachment', file.name),
        'x-content-type-options': 'nosniff',
        'content-security-policy': "default-src 'none'; sandbox",
        'cross-origin-resource-policy': 'same-origin',
        // A file never changes under its id; only its owner's browser keeps it.
        'cache-control': 'private, max-age=86400',
      },
    });
  });
}

/**
 * countersign://notes/{id}: each of the caller's notes as a resource, listed and read per caller
 * (caller.ts), so a person can attach one to a message. Another person's note id reads as not found.
 */
import { type McpServer, ResourceNotFoundError, ResourceTemplate } from '@modelcontextprotocol/server';
import { callerOf } from '../caller.ts';
import type { Note, NotesStore } from '../notes-store.ts';

export const NOTE_URI_TEMPLATE = 'countersign://notes/{id}';
/** Newest first; older notes stay readable by URI and findable with notes_search. */
const MAX_LISTED = 100;
const MIME_TYPE = 'text/markdown';

function uriOf(note: Note): string {
  return `countersign://notes/${encodeURIComponent(note.id)}`;
}

export function registerNotesResource(server: McpServer, store: NotesStore): void {
  server.registerResource(
    'note',
    new ResourceTemplate(NOTE_URI_TEMPLATE, {
      list: async (ctx) => ({
        resources: (await store.list(callerOf(ctx), MAX_LISTED)).map((note) => ({
          uri: uriOf(note),
          name: note.title,
          // Else the template's title ("Note") is every note's, and a list shows nothing else.
          title: note.title,
          mimeType: MIME_TYPE,
          annotations: { lastModified: note.createdAt.toISOString() },
        })),
      }),
    }),
    { title: 'Note', description: 'One of your notes, as Markdown.', mimeType: MIME_TYPE },
    async (uri, { id }, ctx) => {
      const note = typeof id === 'string' ? await store.get(callerOf(ctx), id) : undefined;
      if (!note) throw new ResourceNotFoundError(uri.href, `There is no note ${uri.href}.`);
      return { contents: [{ uri: uri.href, mimeType: MIME_TYPE, text: `# ${note.title}\n\n${note.body}` }] };
    },
  );
}

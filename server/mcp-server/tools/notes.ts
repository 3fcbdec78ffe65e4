/** notes_create, notes_list, notes_search, notes_delete: the calling user's own notes, whoever calls (caller.ts). */
import type { McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { callerOf } from '../caller.ts';
import type { Note, NotesStore } from '../notes-store.ts';

const noteOutput = z.object({
  id: z.string(),
  title: z.string(),
  body: z.string(),
  createdAt: z.string().describe('ISO 8601'),
});
const listOutput = z.object({ notes: z.array(noteOutput) });
const limit = z.number().int().min(1).max(100).default(20).describe('At most this many notes, newest first');

function view(note: Note) {
  return { id: note.id, title: note.title, body: note.body, createdAt: note.createdAt.toISOString() };
}

function listResult(found: Note[], empty: string) {
  const notes = found.map(view);
  const text =
    notes.length === 0 ? empty : notes.map((n) => `- ${n.title} (id ${n.id}, ${n.createdAt})${n.body ? `\n  ${n.body}` : ''}`).join('\n');
  return { content: [{ type: 'text' as const, text }], structuredContent: { notes } };
}

export function registerNoteTools(server: McpServer, store: NotesStore): void {
  server.registerTool(
    'notes_create',
    {
      title: 'Create a note',
      description: "Saves a new note in the user's personal notes.",
      inputSchema: z.object({
        title: z.string().trim().min(1).max(200),
        body: z.string().max(20_000).default(''),
      }),
      outputSchema: z.object({ note: noteOutput }),
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    },
    async ({ title, body }, ctx) => {
      const note = view(await store.create(callerOf(ctx), title, body));
      return { content: [{ type: 'text', text: `Saved note "${note.title}" (id ${note.id}).` }], structuredContent: { note } };
    },
  );

  server.registerTool(
    'notes_list',
    {
      title: 'List notes',
      description: "Lists the user's notes, newest first.",
      inputSchema: z.object({ limit }),
      outputSchema: listOutput,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async ({ limit }, ctx) => listResult(await store.list(callerOf(ctx), limit), 'No notes yet.'),
  );

  server.registerTool(
    'notes_search',
    {
      title: 'Search notes',
      description: "Finds the user's notes whose title or text contains the query (case-insensitive).",
      inputSchema: z.object({ query: z.string().trim().min(1).max(200), limit }),
      outputSchema: listOutput,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async ({ query, limit }, ctx) => listResult(await store.search(callerOf(ctx), query, limit), `No notes contain "${query}".`),
  );

  server.registerTool(
    'notes_delete',
    {
      title: 'Delete a note',
      description: "Deletes one of the user's notes for good, by id (see notes_list).",
      inputSchema: z.object({ id: z.string().min(1).max(64) }),
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
    },
    async ({ id }, ctx) => {
      const deleted = await store.delete(callerOf(ctx), id);
      return deleted
        ? { content: [{ type: 'text', text: `Deleted note ${id}.` }] }
        : { content: [{ type: 'text', text: `There is no note with id ${id}.` }], isError: true };
    },
  );
}

/**
 * summarise_notes: a prompt that asks the model to summarise the caller's notes on a topic, the
 * notes themselves included. Its `topic` completes with the titles of the caller's notes
 * (completions.ts), so a person picking it in the composer is offered their own notes.
 */
import type { McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { callerOf } from '../caller.ts';
import type { ArgumentCompleter } from '../completions.ts';
import type { Note, NotesStore } from '../notes-store.ts';

export const SUMMARISE_NOTES_PROMPT = 'summarise_notes';
/** Enough for a summary; the prompt says when there were more. */
const MAX_NOTES = 20;

export function registerSummariseNotesPrompt(server: McpServer, store: NotesStore): void {
  server.registerPrompt(
    SUMMARISE_NOTES_PROMPT,
    {
      title: 'Summarise my notes',
      description: 'Asks for a summary of your notes on a topic, or of your newest notes, with the notes included.',
      argsSchema: z.object({
        topic: z.string().trim().max(200).optional().describe('Words your notes contain, such as a title; empty for your newest notes'),
      }),
    },
    async ({ topic }, ctx) => {
      const userId = callerOf(ctx);
      const found = topic ? await store.search(userId, topic, MAX_NOTES + 1) : await store.list(userId, MAX_NOTES + 1);
      return {
        description: topic ? `A summary of your notes about "${topic}"` : 'A summary of your newest notes',
        messages: [{ role: 'user', content: { type: 'text', text: summaryRequest(found, topic) } }],
      };
    },
  );
}

/** `topic` completes with the titles of the caller's notes that contain what they typed. */
export function topicCompleter(store: NotesStore): ArgumentCompleter {
  return (userId, typed, limit) => store.titlesContaining(userId, typed, limit);
}

function summaryRequest(found: Note[], topic: string | undefined): string {
  const which = topic ? `my notes about "${topic}"` : 'my newest notes';
  if (found.length === 0) return `I have no notes${topic ? ` about "${topic}"` : ''} yet. Say so, and suggest what I could note down.`;
  const notes = found.slice(0, MAX_NOTES).map((note) => `## ${note.title}\n${note.body || '(no text)'}`);
  const more = found.length > MAX_NOTES ? [`(Only the newest ${MAX_NOTES} are here; there are more.)`] : [];
  return [`Summarise ${which}: the main points, and anything left open.`, ...notes, ...more].join('\n\n');
}

/**
 * The built-in MCP server. It holds nothing about any one person: every tool, prompt and resource
 * reads the caller from the request (caller.ts), so one instance serves all of this process's own
 * users over the in-process link, and each /mcp request gets its own only because the SDK ties a
 * server to one exchange.
 */
import { McpServer } from '@modelcontextprotocol/server';
import pkg from '../../package.json' with { type: 'json' };
import { serveCompletions } from './completions.ts';
import type { NotesStore } from './notes-store.ts';
import { registerSummariseNotesPrompt, SUMMARISE_NOTES_PROMPT, topicCompleter } from './prompts/summarise-notes.ts';
import { NOTE_URI_TEMPLATE, registerNotesResource } from './resources/notes.ts';
import { registerCalculateTool } from './tools/calculate.ts';
import { registerNoteTools } from './tools/notes.ts';
import { registerSlowCountTool } from './tools/slow-count.ts';
import { registerTimeTool } from './tools/time.ts';

export function createInternalMcpServer(notes: NotesStore): McpServer {
  const server = new McpServer(
    { name: 'countersign', title: 'Countersign built-in tools', version: pkg.version },
    {
      instructions: 'Personal notes of the signed-in user, the current time in any time zone, and a calculator.',
      // No list change is ever announced: the tools and the prompt change only with a release, and
      // a new note could reach a listening client only through an event bus every instance shares,
      // which this server does not have. Saying so keeps clients from holding a subscription open.
      capabilities: {
        tools: { listChanged: false },
        prompts: { listChanged: false },
        resources: { listChanged: false },
        completions: {},
      },
    },
  );
  registerNoteTools(server, notes);
  registerTimeTool(server);
  registerCalculateTool(server);
  registerSlowCountTool(server);
  registerSummariseNotesPrompt(server, notes);
  registerNotesResource(server, notes);
  serveCompletions(server, {
    prompts: { [SUMMARISE_NOTES_PROMPT]: { topic: topicCompleter(notes) } },
    resourceTemplates: [NOTE_URI_TEMPLATE],
  });
  return server;
}

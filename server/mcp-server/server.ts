/**
 * The built-in MCP server, one instance per session: it is created knowing the calling user,
 * so every tool acts for that user only.
 */
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import pkg from '../../package.json' with { type: 'json' };
import type { NotesStore } from './notes-store.ts';
import { registerCalculateTool } from './tools/calculate.ts';
import { registerNoteTools } from './tools/notes.ts';
import { registerSlowCountTool } from './tools/slow-count.ts';
import { registerTimeTool } from './tools/time.ts';

export function createInternalMcpServer(userId: string, notes: NotesStore): McpServer {
  const server = new McpServer(
    { name: 'countersign', title: 'Countersign built-in tools', version: pkg.version },
    { instructions: 'Personal notes of the signed-in user, the current time in any time zone, and a calculator.' },
  );
  registerNoteTools(server, userId, notes);
  registerTimeTool(server);
  registerCalculateTool(server);
  registerSlowCountTool(server);
  return server;
}

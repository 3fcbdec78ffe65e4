/**
 * The built-in MCP server. It holds nothing about any one person: every tool reads the caller
 * from the request (caller.ts), so one instance serves all of this process's own users over the
 * in-process link, and each outside /mcp session gets its own only because the SDK ties a server
 * to one transport.
 */
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import pkg from '../../package.json' with { type: 'json' };
import type { NotesStore } from './notes-store.ts';
import { registerCalculateTool } from './tools/calculate.ts';
import { registerNoteTools } from './tools/notes.ts';
import { registerSlowCountTool } from './tools/slow-count.ts';
import { registerTimeTool } from './tools/time.ts';

export function createInternalMcpServer(notes: NotesStore): McpServer {
  const server = new McpServer(
    { name: 'countersign', title: 'Countersign built-in tools', version: pkg.version },
    { instructions: 'Personal notes of the signed-in user, the current time in any time zone, and a calculator.' },
  );
  registerNoteTools(server, notes);
  registerTimeTool(server);
  registerCalculateTool(server);
  registerSlowCountTool(server);
  return server;
}

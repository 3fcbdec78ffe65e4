/**
 * The shape of server/, read from its imports: no two of its parts import each other, even
 * through others, and each library stays behind the folder that owns it. A new import that
 * breaks a rule fails here with the file that made it.
 */
import { describe, expect, test } from 'bun:test';
import { folderCycles, folderEdges, serverImports } from '../../scripts/server-imports.ts';

const imports = serverImports();

/** Files outside `allowed` that import a package matching `library`. */
function importersOutside(library: RegExp, allowed: (file: string) => boolean): string[] {
  return [...new Set(imports.filter((i) => library.test(i.specifier) && !allowed(i.file)).map((i) => i.file))].sort();
}

describe('server/ imports', () => {
  test('sees the whole tree (a guard against the walk silently finding nothing)', () => {
    expect(imports.filter((i) => i.file === 'server/server.ts').length).toBeGreaterThan(10);
    expect(folderEdges(imports).get('server.ts')?.has('chats')).toBe(true);
  });

  test('no cycle between the folders of server/', () => {
    expect(folderCycles(folderEdges(imports))).toEqual([]);
  });

  test('@trpc/server only in server/trpc/, a feature’s router.ts, and the chat event stream', () => {
    const allowed = (file: string) =>
      file.startsWith('server/trpc/') || file.endsWith('/router.ts') || file === 'server/chats/event-stream.ts';
    expect(importersOutside(/^@trpc\/server(\/|$)/, allowed)).toEqual([]);
  });

  test('LangChain and LangGraph only in server/agent/', () => {
    expect(importersOutside(/^@langchain\//, (file) => file.startsWith('server/agent/'))).toEqual([]);
  });

  test('the MCP SDKs only in server/mcp/ and server/mcp-server/', () => {
    const allowed = (file: string) => file.startsWith('server/mcp/') || file.startsWith('server/mcp-server/');
    expect(importersOutside(/^@modelcontextprotocol\//, allowed)).toEqual([]);
  });

  test('Elysia only in route files: the app, and the files that give a feature its routes', () => {
    const routeFiles = new Set([
      'server/app.ts',
      'server/health.ts',
      'server/admin/console.ts',
      'server/trpc/http.ts',
      'server/trpc/ws-bridge.ts',
    ]);
    const allowed = (file: string) => file.endsWith('/routes.ts') || routeFiles.has(file);
    expect(importersOutside(/^elysia(\/|$)/, allowed)).toEqual([]);
  });
});

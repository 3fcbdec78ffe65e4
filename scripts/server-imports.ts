/**
 * The import graph of server/: every import of every file, and the edges between its top-level
 * folders. `bun scripts/server-imports.ts`
 * prints the folder edges and any cycles; tests/foundation/boundaries.test.ts holds the rules.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = resolve(import.meta.dir, '..');
const serverDir = join(root, 'server');

export interface ImportSite {
  /** The importing file, relative to the repository root. */
  file: string;
  /** What it imports, as written. */
  specifier: string;
  /** The imported file relative to the repository root, for relative imports. */
  target?: string;
}

const importPattern =
  /(?:^|\n)\s*(?:import|export)\s[^;]*?\sfrom\s+['"]([^'"]+)['"]|(?:^|\n)\s*import\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Every import in server/**\/*.ts. */
export function serverImports(): ImportSite[] {
  return sourceFiles(serverDir).flatMap((path) => {
    const text = readFileSync(path, 'utf8');
    const file = relative(root, path);
    return [...text.matchAll(importPattern)].map((match) => {
      const specifier = (match[1] ?? match[2] ?? match[3])!;
      const target = specifier.startsWith('.') ? relative(root, resolve(dirname(path), specifier)) : undefined;
      return { file, specifier, target };
    });
  });
}

/**
 * The top-level folder of server/ a file belongs to, or undefined outside server/. A file directly
 * in server/ is a node of its own (`server.ts`, `log.ts`): the composition root imports every
 * feature and every feature imports the logger, which is no cycle.
 */
export function folderOf(file: string): string | undefined {
  const parts = relative('server', file.endsWith('.ts') ? file : `${file}.ts`).split('/');
  if (parts[0] === '..' || parts[0] === '') return undefined;
  return parts[0];
}

/** Distinct folder → folder edges (a folder importing itself is not an edge). */
export function folderEdges(imports: ImportSite[] = serverImports()): Map<string, Set<string>> {
  const edges = new Map<string, Set<string>>();
  for (const { file, target } of imports) {
    const from = folderOf(file);
    const to = target && folderOf(target);
    if (!from || !to || from === to) continue;
    if (!edges.has(from)) edges.set(from, new Set());
    edges.get(from)!.add(to);
  }
  return edges;
}

/** Each cycle between folders once, as the folders in order (strongly connected components of size > 1). */
export function folderCycles(edges: Map<string, Set<string>>): string[][] {
  const nodes = new Set([...edges.keys(), ...[...edges.values()].flatMap((set) => [...set])]);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  let next = 0;
  const visit = (node: string) => {
    index.set(node, next);
    low.set(node, next++);
    stack.push(node);
    onStack.add(node);
    for (const to of edges.get(node) ?? []) {
      if (!index.has(to)) {
        visit(to);
        low.set(node, Math.min(low.get(node)!, low.get(to)!));
      } else if (onStack.has(to)) {
        low.set(node, Math.min(low.get(node)!, index.get(to)!));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1) components.push(component.sort());
    }
  };
  for (const node of nodes) if (!index.has(node)) visit(node);
  return components;
}

if (import.meta.main) {
  const edges = folderEdges();
  const count = [...edges.values()].reduce((sum, set) => sum + set.size, 0);
  console.log(`${count} folder → folder edges in server/`);
  for (const [from, tos] of [...edges].sort()) console.log(`  ${from} → ${[...tos].sort().join(', ')}`);
  const cycles = folderCycles(edges);
  console.log(`${cycles.length} cyclic group(s)`);
  for (const cycle of cycles) console.log(`  ${cycle.join(' ↔ ')}`);
  const mutual = [...edges].flatMap(([from, tos]) =>
    [...tos].filter((to) => from < to && edges.get(to)?.has(from)).map((to) => `${from} ↔ ${to}`),
  );
  console.log(`${mutual.length} pair(s) importing each other: ${mutual.join('; ')}`);
}

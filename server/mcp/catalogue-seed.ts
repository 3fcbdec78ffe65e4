/**
 * The catalogue a fresh install starts with (config.mcp.seedCatalogue): the built-in notes/time/
 * calculator server, and the MCP project's reference server "everything" over stdio, so a new
 * install has real tools to try. Seeding happens only while the catalogue is empty.
 *
 * server-everything runs on the Bun that runs this server (process.execPath): with
 * MCP_STDIO_COMMANDS set, it is seeded and kept up to date only if that list allows Bun.
 *
 * In cluster mode every instance's origin is PUBLIC_URL (required there), so the built-in entry
 * names the load balancer's address and no instance rewrites it to its own: each instance's people
 * reach the built-in server in-process (in-process-server.ts), outside clients through the load
 * balancer, and every instance verifies their tokens with the same key (user-token.ts).
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Logger } from '../log.ts';
import { INTERNAL_MCP_PATH } from '../mcp-server/routes.ts';
import type { CatalogueInput, CatalogueService } from './catalogue.ts';
import { USER_TOKEN_REFERENCE } from './secrets.ts';

/** Fixed, so start-up can find the internal server's entry again. */
export const INTERNAL_SERVER_ID = 'countersign-internal';
export const EVERYTHING_SERVER_ID = 'mcp-everything';

/** server-everything as installed with this copy of Countersign, run by this process's Bun. */
function everythingCommand(): { command: string; args: string[] } {
  const script = createRequire(import.meta.url).resolve('@modelcontextprotocol/server-everything/dist/index.js');
  return { command: process.execPath, args: [script, 'stdio'] };
}

function internalServerUrl(origin: string): string {
  return `${origin}${INTERNAL_MCP_PATH}`;
}

/**
 * Creates the seeded entry unless another instance starting at the same time got there first;
 * true when this one created it.
 */
async function seedOnce(catalogue: CatalogueService, input: CatalogueInput, id: string): Promise<boolean> {
  try {
    await catalogue.create(input, id);
    return true;
  } catch (error) {
    if (await catalogue.get(id)) return false;
    throw error;
  }
}

export async function seedCatalogue(catalogue: CatalogueService, origin: string, log: Logger): Promise<void> {
  if ((await catalogue.list()).length > 0) return;
  const seeded: string[] = [];
  const internal = await seedOnce(
    catalogue,
    {
      name: 'Countersign',
      description: 'Built-in tools: personal notes, the current time, and a calculator.',
      transport: 'streamable-http',
      url: internalServerUrl(origin),
      secretHeaders: { Authorization: USER_TOKEN_REFERENCE },
      trusted: true,
    },
    INTERNAL_SERVER_ID,
  );
  if (internal) seeded.push(INTERNAL_SERVER_ID);
  const everything = {
    name: 'Everything',
    description: "The MCP project's reference server: echo, sums, long-running operations with progress, structured output.",
    transport: 'stdio' as const,
    ...everythingCommand(),
  };
  if (!(await outsideBoundary(catalogue, everything, log)) && (await seedOnce(catalogue, everything, EVERYTHING_SERVER_ID))) {
    seeded.push(EVERYTHING_SERVER_ID);
  }
  if (seeded.length > 0) log.info('mcp catalogue seeded', { servers: seeded });
}

/** True (and logged, with what would allow it) when the operator's limits leave server-everything out. */
async function outsideBoundary(
  catalogue: CatalogueService,
  everything: { command: string; args: string[] },
  log: Logger,
): Promise<boolean> {
  const refusals = await catalogue.boundary.refusals({ transport: 'stdio', url: null, env: {}, secretHeaders: {}, ...everything });
  if (refusals.length === 0) return false;
  log.warn(`server-everything is left out: add ${everything.command} to MCP_STDIO_COMMANDS to keep it`, { refusals });
  return true;
}

/** The internal server moves with this server's origin (a new port, a new PUBLIC_URL): keep its entry pointing here. */
export async function followOrigin(catalogue: CatalogueService, origin: string, log: Logger): Promise<void> {
  const entry = await catalogue.get(INTERNAL_SERVER_ID);
  const url = internalServerUrl(origin);
  if (!entry || entry.url === url) return;
  await catalogue.update(INTERNAL_SERVER_ID, { url });
  log.info('internal mcp server entry follows the origin', { url });
}

/**
 * What comes with this release and must follow it: the built-in server's tool definitions (an
 * upgrade may reword them; they are ours, so they are pinned afresh rather than held for review),
 * and the seeded server-everything entry's paths, which point into this install (a moved or
 * reinstalled checkout would otherwise leave a command that no longer exists).
 */
export async function followRelease(catalogue: CatalogueService, log: Logger): Promise<void> {
  if (await catalogue.get(INTERNAL_SERVER_ID)) await catalogue.repinOnNextListing(INTERNAL_SERVER_ID);
  const everything = await catalogue.get(EVERYTHING_SERVER_ID);
  const current = everythingCommand();
  const script = everything?.args[0];
  if (everything?.transport === 'stdio' && script?.endsWith('server-everything/dist/index.js') && !existsSync(script)) {
    if (await outsideBoundary(catalogue, current, log)) return;
    await catalogue.update(EVERYTHING_SERVER_ID, current);
    log.info('server-everything entry follows this install', { script: current.args[0] });
  }
}

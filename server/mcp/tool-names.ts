/**
 * Names the model sees: `${slug(serverName)}__${toolName}`, readable and stable, within the
 * OpenAI function-name rules (^[a-zA-Z0-9_-]{1,64}$). MCP tool names may also contain dots and
 * run to 128 characters; such names are cleaned and truncated, and only then get a short hash of
 * the original pair, so two cleaned names cannot collide.
 */
import { createHash } from 'node:crypto';

const FUNCTION_NAME = /^[a-zA-Z0-9_-]{1,64}$/;
const MAX_LENGTH = 64;
const SEPARATOR = '__';

/** Lower-case words joined by `-`; the catalogue keeps these unique across servers. */
export function serverSlug(serverName: string): string {
  const slug = serverName
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 32)
    .replace(/-+$/, '');
  return slug || 'server';
}

export function uniqueToolName(serverName: string, toolName: string): string {
  const plain = `${serverSlug(serverName)}${SEPARATOR}${toolName}`;
  if (FUNCTION_NAME.test(plain)) return plain;
  const hash = createHash('sha256').update(`${serverName}\u0000${toolName}`).digest('hex').slice(0, 8);
  const cleaned = `${serverSlug(serverName)}${SEPARATOR}${toolName.replace(/[^a-zA-Z0-9_-]/g, '_')}`;
  return `${cleaned.slice(0, MAX_LENGTH - hash.length - 1)}_${hash}`;
}

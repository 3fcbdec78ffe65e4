/**
 * The resources a person attaches to a message, read through their own connection (the same read
 * as `servers.readResource`) before anything is sent: one that cannot be read refuses the send.
 * Each becomes a block of the message's text for the model, naming its URI and type: its text,
 * 32 KB of it at most, and a line for whatever was left out (what is not text, what was cut).
 */
import type { MCPHandler } from '../mcp/mcp-handler.ts';
import type { ResourceContent } from '../mcp/resource-read.ts';
import type { Attachment } from '../agent/user-message.ts';
import { size, textWithin, utf8Bytes } from '../agent/tool-media.ts';
import { refusal } from '../tools/refusal.ts';

export interface AttachmentRef {
  serverId: string;
  uri: string;
}

const MAX_TEXT_BYTES = 32 * 1024;
/** A server could answer with thousands of small pieces: past these, one line counts the rest. */
const MAX_PIECES = 20;

export async function readAttachments(
  mcp: Pick<MCPHandler, 'readResource' | 'resources'>,
  refs: readonly AttachmentRef[],
): Promise<Attachment[]> {
  const unique = [...new Map(refs.map((ref) => [`${ref.serverId} ${ref.uri}`, ref])).values()];
  return Promise.all(
    unique.map(async ({ serverId, uri }) => {
      const [read, name] = await Promise.all([mcp.readResource(serverId, uri), nameOf(mcp, serverId, uri)]);
      if (!read.ok) throw refusal(read, `${uri} could not be attached, so nothing was sent: ${read.message}`);
      return { serverId, uri, name, text: block(uri, read.contents) };
    }),
  );
}

/** What the server's listing calls the resource (its connection keeps the list), or its URI. */
async function nameOf(mcp: Pick<MCPHandler, 'resources'>, serverId: string, uri: string): Promise<string> {
  const listing = await mcp.resources(serverId);
  const listed = listing.ok ? listing.resources.find((resource) => resource.uri === uri) : undefined;
  return listed?.title ?? listed?.name ?? uri;
}

function block(uri: string, contents: ResourceContent[]): string {
  const texts: string[] = [];
  const leftOut: string[] = [];
  let room = MAX_TEXT_BYTES;
  for (const { uri: pieceUri, mimeType, text, blob = '' } of contents.slice(0, MAX_PIECES)) {
    // Text sent as a blob is still text.
    const pieceText = text ?? (mimeType?.toLowerCase().startsWith('text/') ? Buffer.from(blob, 'base64').toString('utf8') : undefined);
    if (pieceText === undefined) {
      leftOut.push(`${pieceUri} (${mimeType ?? 'no type'}) was left out: only text is attached`);
      continue;
    }
    const bytes = utf8Bytes(pieceText);
    if (bytes <= room) {
      texts.push(pieceText);
      room -= bytes;
      continue;
    }
    const most = `an attachment gives the model at most ${size(MAX_TEXT_BYTES)} of text`;
    if (room === 0) {
      leftOut.push(`${pieceUri} was left out: ${most}`);
      continue;
    }
    texts.push(textWithin(pieceText, room));
    leftOut.push(`${pieceUri} was cut (it has ${size(bytes)} of text): ${most}`);
    room = 0;
  }
  if (contents.length > MAX_PIECES)
    leftOut.push(`${contents.length - MAX_PIECES} more pieces were left out: at most ${MAX_PIECES} are attached`);
  const types = [...new Set(contents.slice(0, MAX_PIECES).map((piece) => piece.mimeType ?? 'no type'))].join(', ') || 'empty';
  return [`--- Attached resource: ${uri} (${types}) ---`, ...texts, ...leftOut.map((line) => `(${line}.)`), `--- End of ${uri} ---`].join(
    '\n',
  );
}

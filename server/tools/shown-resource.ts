/**
 * What a person is shown of a resource they read: its text (text blobs decoded), up to 256 KB in
 * one read, and its images and audio of the types and within the limits a tool card keeps
 * (server/agent/tool-media.ts); anything else gets a line saying what and why. A read goes once to
 * the person who asked and is kept nowhere, so it may carry more text than a card, which travels
 * in events and history.
 */
import type { ResourceContentDto, ResourceReadDto } from '../../shared/servers.ts';
import { AUDIO, binary, IMAGES, MAX_URI_CHARS, size } from '../agent/tool-media.ts';
import type { ResourceContent } from '../mcp/resource-read.ts';

const MAX_TEXT_BYTES = 256 * 1024;
/** A server could answer with thousands of small pieces: past these, one line counts the rest. */
const MAX_PIECES = 20;

const encoder = new TextEncoder();

export function shownResource(contents: ResourceContent[]): ResourceReadDto {
  const shown: ResourceContentDto[] = [];
  const leftOut: string[] = [];
  let textBytes = 0;
  const count = { image: 0, audio: 0 };

  /** Whether `bytes` more of text fit in the read; if not, says so. */
  const textFits = (uri: string, bytes: number): boolean => {
    if (textBytes + bytes > MAX_TEXT_BYTES) {
      leftOut.push(`the text of ${uri} (${size(bytes)}) was not shown: at most ${size(MAX_TEXT_BYTES)} of text is shown per read`);
      return false;
    }
    textBytes += bytes;
    return true;
  };

  for (const { uri, mimeType, text, blob = '' } of contents.slice(0, MAX_PIECES)) {
    if (uri.length > MAX_URI_CHARS) {
      leftOut.push(`a piece was not shown: its URI is longer than ${MAX_URI_CHARS} characters`);
      continue;
    }
    const type = mimeType?.toLowerCase() ?? '';
    // Text sent as a blob is still text: measured before it is decoded.
    if (text !== undefined || type.startsWith('text/')) {
      const bytes = text !== undefined ? encoder.encode(text).length : Math.floor((blob.length * 3) / 4);
      if (textFits(uri, bytes))
        shown.push({ uri, ...(mimeType ? { mimeType } : {}), text: text ?? Buffer.from(blob, 'base64').toString('utf8') });
      continue;
    }
    const kind = type.startsWith('audio/') ? 'audio' : type.startsWith('image/') ? 'image' : undefined;
    if (!kind) {
      leftOut.push(`${uri} (${mimeType?.slice(0, 100) || 'no type'}) was not shown: only text, images and audio are shown`);
      continue;
    }
    const piece = binary({ type: kind, mimeType, data: blob }, kind === 'image' ? IMAGES : AUDIO, count[kind]);
    if (typeof piece === 'string') {
      leftOut.push(`${uri}: ${piece}`);
      continue;
    }
    count[kind]++;
    shown.push({ uri, ...piece });
  }

  if (contents.length > MAX_PIECES) {
    leftOut.push(`${contents.length - MAX_PIECES} more pieces were not shown: at most ${MAX_PIECES} are shown per read`);
  }
  return { contents: shown, leftOut };
}

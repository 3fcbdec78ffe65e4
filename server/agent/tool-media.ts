/**
 * What a tool's result holds beyond text, made fit for its card: images and audio of a few safe
 * types as base64 (never SVG), embedded resources and resource links, and the structured content.
 * The card travels in every chat event and history load and stays in the checkpoint, so each piece
 * is bounded; whatever is left out gets a line saying what and why, for the card's result text.
 * It reads the port's content blocks only: the agent knows nothing of the MCP SDK.
 */
import { SHOWN_AUDIO_TYPES, SHOWN_IMAGE_TYPES, type ToolMedia } from '../../shared/chat-events.ts';
import type { ToolCallResult, ToolContentBlock } from './tool-port.ts';

const KB = 1024;
const MB = 1024 * KB;

/** What a card shows of images and of audio, and what it says of the rest. */
export interface BinaryLimits<T extends string> {
  noun: string;
  types: readonly T[];
  typesShown: string;
  maxBytes: number;
  maxCount: number;
  tooMany: string;
}

/**
 * Small on purpose: a card travels whole in events (kept 10 minutes by the event hub), in the
 * checkpoint and in every history load, so the worst card stays under about 2 MB until media are
 * served by the app by URL.
 */
export const IMAGES: BinaryLimits<(typeof SHOWN_IMAGE_TYPES)[number]> = {
  noun: 'an image',
  types: SHOWN_IMAGE_TYPES,
  typesShown: 'PNG, JPEG, GIF and WebP images are shown',
  maxBytes: 256 * KB,
  maxCount: 3,
  tooMany: 'at most 3 images are shown per call',
};
export const AUDIO: BinaryLimits<(typeof SHOWN_AUDIO_TYPES)[number]> = {
  noun: 'audio',
  types: SHOWN_AUDIO_TYPES,
  typesShown: 'MP3, WAV, Ogg and WebM audio is played',
  maxBytes: 512 * KB,
  maxCount: 1,
  tooMany: 'one audio clip is played per call',
};
/** Embedded resources and resource links together. */
const MAX_RESOURCES = 10;
const MAX_RESOURCE_TEXT_BYTES = 16 * KB;
/** Longer addresses are data, not names (a data: URI could carry megabytes). */
export const MAX_URI_CHARS = 2048;
const MAX_NAME_CHARS = 200;
const MAX_STRUCTURED_BYTES = 64 * KB;

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export interface CardMedia {
  media: ToolMedia[];
  structured?: unknown;
  /** One line per piece left out, saying what and why. */
  leftOut: string[];
}

export function cardMedia(result: ToolCallResult): CardMedia {
  const media: ToolMedia[] = [];
  const leftOut: string[] = [];
  const count = (kind: ToolMedia['kind']) => media.filter((m) => m.kind === kind).length;
  const keep = (piece: ToolMedia | string) => (typeof piece === 'string' ? leftOut.push(piece) : media.push(piece));

  for (const block of result.content ?? []) {
    if (block.type === 'image') {
      const image = binary(block, IMAGES, count('image'));
      keep(typeof image === 'string' ? image : { kind: 'image', ...image });
    } else if (block.type === 'audio') {
      const audio = binary(block, AUDIO, count('audio'));
      keep(typeof audio === 'string' ? audio : { kind: 'audio', ...audio });
    } else if (block.type === 'resource' || block.type === 'resource_link') {
      keep(resource(block, count('resource')));
    }
  }

  if (!result.ok || result.structuredContent === undefined) return { media, leftOut };
  const structuredBytes = utf8Bytes(JSON.stringify(result.structuredContent));
  if (structuredBytes > MAX_STRUCTURED_BYTES) {
    leftOut.push(`structured content of ${size(structuredBytes)} was not shown: larger than ${size(MAX_STRUCTURED_BYTES)}`);
    return { media, leftOut };
  }
  return { media, structured: result.structuredContent, leftOut };
}

export function binary<T extends string>(
  block: ToolContentBlock,
  limits: BinaryLimits<T>,
  shown: number,
): { mimeType: T; data: string } | string {
  // Parameters (`; codecs=opus`) are dropped: the type alone decides, and goes into a data: URL.
  const mimeType = block.mimeType?.split(';')[0]?.trim().toLowerCase() ?? '';
  if (!isOneOf(mimeType, limits.types)) {
    return `${limits.noun} of type ${mimeType.slice(0, 100) || '(none)'} was not shown: only ${limits.typesShown}`;
  }
  const data = block.data;
  if (typeof data !== 'string' || data.length === 0) return `${limits.noun} was not shown: it came without data`;
  // Size first: the pattern need not run over megabytes that are refused anyway.
  const bytes = Math.floor(data.length / 4) * 3 - (data.endsWith('==') ? 2 : data.endsWith('=') ? 1 : 0);
  if (bytes > limits.maxBytes) return `${limits.noun} of ${size(bytes)} was not shown: larger than ${size(limits.maxBytes)}`;
  if (!BASE64.test(data)) return `${limits.noun} was not shown: its data is not base64`;
  if (shown >= limits.maxCount) return `${limits.noun} of ${size(bytes)} was not shown: ${limits.tooMany}`;
  return { mimeType, data };
}

function resource(block: ToolContentBlock, shown: number): ToolMedia | string {
  const embedded = block.type === 'resource' ? block.resource : undefined;
  const uri = embedded ? embedded.uri : block.uri;
  if (typeof uri !== 'string' || uri.length === 0) return 'a resource was not shown: it came without a URI';
  if (uri.length > MAX_URI_CHARS) return `a resource was not shown: its URI is longer than ${MAX_URI_CHARS} characters`;
  if (shown >= MAX_RESOURCES) return `the resource ${uri} was not shown: at most ${MAX_RESOURCES} resources are shown per call`;
  const mimeType = typeof (embedded ?? block).mimeType === 'string' ? (embedded ?? block).mimeType : undefined;
  if (!embedded) {
    const name = typeof block.name === 'string' ? block.name.slice(0, MAX_NAME_CHARS) : undefined;
    return { kind: 'resource', uri, ...(name ? { name } : {}), ...(mimeType ? { mimeType } : {}) };
  }
  // A blob resource is shown by its URI alone, as a link is: reading it comes with resources/read.
  if (typeof embedded.text !== 'string') return { kind: 'resource', uri, ...(mimeType ? { mimeType } : {}) };
  return { kind: 'resource', uri, ...(mimeType ? { mimeType } : {}), text: cutText(embedded.text) };
}

function isOneOf<T extends string>(value: string, allowed: readonly T[]): value is T {
  return (allowed as readonly string[]).includes(value);
}

const encoder = new TextEncoder();

export function utf8Bytes(text: string): number {
  return encoder.encode(text).length;
}

/** The text within MAX_RESOURCE_TEXT_BYTES of UTF-8 (never splitting a character), marked when cut. */
function cutText(text: string): string {
  if (utf8Bytes(text) <= MAX_RESOURCE_TEXT_BYTES) return text;
  return `${textWithin(text, MAX_RESOURCE_TEXT_BYTES)}\n…(cut at ${size(MAX_RESOURCE_TEXT_BYTES)})`;
}

/** The start of `text` that fits in `maxBytes` of UTF-8, never splitting a character. */
export function textWithin(text: string, maxBytes: number): string {
  const bytes = encoder.encode(text);
  if (bytes.length <= maxBytes) return text;
  return new TextDecoder().decode(bytes.subarray(0, maxBytes)).replace(/\uFFFD$/, '');
}

/** "3.2 MB", "64 KB", "12 bytes" (binary units, as the limits are). */
export function size(bytes: number): string {
  if (bytes >= MB) return `${(bytes / MB).toFixed(1).replace(/\.0$/, '')} MB`;
  if (bytes >= KB) return `${Math.round(bytes / KB)} KB`;
  return `${bytes} bytes`;
}

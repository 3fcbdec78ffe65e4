/**
 * What an uploaded file is, decided from its bytes as much as from its name: an image only when
 * its bytes are a PNG, JPEG, WebP or GIF (a name or a type claiming one proves nothing), a PDF
 * only when its bytes start as one, text only when they decode as UTF-8 without NUL. Everything
 * else (programs, archives, SVG, which can carry scripts) is refused with a sentence saying why.
 */
import { extensionOf, type FileKind, IMAGE_TYPES, TEXT_EXTENSIONS } from '../../shared/files.ts';
import { DomainError } from '../domain-error.ts';

export interface Classified {
  kind: FileKind;
  /** As the file is served: the image's own type, text/plain, or application/pdf. */
  mediaType: string;
}

type ImageType = (typeof IMAGE_TYPES)[number];

const IMAGE_EXTENSIONS: Record<string, ImageType> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  gif: 'image/gif',
};

const IMAGE_NAMES: Record<ImageType, string> = { 'image/png': 'PNG', 'image/jpeg': 'JPEG', 'image/webp': 'WebP', 'image/gif': 'GIF' };

const ACCEPTED = 'you can attach images (PNG, JPEG, WebP, GIF), text files, source code and PDFs';

const textExtensions = new Set<string>(TEXT_EXTENSIONS);

/** The file's kind, or a refusal naming the file and what was wrong with it. */
export function classify(name: string, declaredType: string, bytes: Uint8Array): Classified {
  const extension = extensionOf(name);
  const type = declaredType.toLowerCase().split(';')[0]!.trim();
  const image = imageTypeOf(bytes);
  if (image) return { kind: 'image', mediaType: image };
  const claimed = IMAGE_EXTENSIONS[extension] ?? IMAGE_TYPES.find((t) => t === type);
  if (claimed) throw invalid(`${name} is not a ${IMAGE_NAMES[claimed]} image: its contents are something else. ${capitalised(ACCEPTED)}.`);
  const pdf = startsWith(bytes, '%PDF-');
  if (pdf) return { kind: 'pdf', mediaType: 'application/pdf' };
  if (extension === 'pdf' || type === 'application/pdf') throw invalid(`${name} is not a PDF: its contents are something else.`);
  if (textExtensions.has(extension) || type.startsWith('text/')) {
    if (!isUtf8Text(bytes)) throw invalid(`${name} is not UTF-8 text; save it as UTF-8 (or attach it as a PDF) and try again.`);
    return { kind: 'text', mediaType: 'text/plain' };
  }
  const what = extension ? `a .${extension} file` : 'a file of a type that cannot be attached';
  throw invalid(`${name} is ${what}; ${ACCEPTED}.`);
}

/** The text a text file gives the model. */
export function decodeText(bytes: Uint8Array): string {
  return new TextDecoder('utf-8', { ignoreBOM: false }).decode(bytes);
}

function isUtf8Text(bytes: Uint8Array): boolean {
  if (bytes.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

function imageTypeOf(bytes: Uint8Array): ImageType | undefined {
  if (startsWith(bytes, '\x89PNG\r\n\x1a\n')) return 'image/png';
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (startsWith(bytes, 'GIF87a') || startsWith(bytes, 'GIF89a')) return 'image/gif';
  if (startsWith(bytes, 'RIFF') && startsWith(bytes.subarray(8), 'WEBP')) return 'image/webp';
  return undefined;
}

/** Whether the bytes start with these (single-byte) characters. */
function startsWith(bytes: Uint8Array, prefix: string): boolean {
  if (bytes.length < prefix.length) return false;
  for (let at = 0; at < prefix.length; at++) if (bytes[at] !== prefix.charCodeAt(at)) return false;
  return true;
}

const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

const invalid = (message: string) => new DomainError('invalid', message);

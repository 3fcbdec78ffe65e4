/**
 * The name an uploaded file is kept, shown and served under: what the person's file was called,
 * without anything that could mislead or break where it is shown. Browsers (and Bun's FormData)
 * send `"`, CR and LF in a multipart file name as %22, %0D and %0A, and the multipart parser
 * leaves them so (HTML's form encoding): those three are decoded, and no other escape, since
 * browsers send a `%` as it is. Folders are dropped (`C:\x\y.txt`, `../y.txt`), as are control
 * characters and the bidirectional controls that make `evil‮txt.exe` read as `evilexe.txt`.
 */

const MAX_NAME_LENGTH = 200;
/** An extension longer than this is taken as part of the name when a long name is shortened. */
const MAX_EXTENSION_LENGTH = 16;
const UNNAMED = 'unnamed file';

const FORM_ESCAPES = /%(22|0d|0a)/gi;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
const CONTROLS = /[\u0000-\u001f\u007f-\u009f]/g;
/** Bidirectional marks, embeddings, overrides and isolates (Unicode's Bidi_Control property). */
const BIDI_CONTROLS = /\p{Bidi_Control}/gu;

export function uploadedFileName(received: string): string {
  const decoded = received.replace(FORM_ESCAPES, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
  const base = (decoded.toWellFormed().split(/[\\/]/).at(-1) ?? '').replace(CONTROLS, '').replace(BIDI_CONTROLS, '');
  const name = base.normalize('NFC').trim();
  // Nothing left, or only dots (`..`): no name anyone could read.
  if (/^\.*$/.test(name)) return UNNAMED;
  return shortened(name);
}

/** The name within MAX_NAME_LENGTH characters (not UTF-16 units, so none is cut in half), keeping its extension. */
function shortened(name: string): string {
  const chars = [...name];
  if (chars.length <= MAX_NAME_LENGTH) return name;
  const dot = chars.lastIndexOf('.');
  const extension = dot > 0 && chars.length - dot <= MAX_EXTENSION_LENGTH ? chars.slice(dot) : [];
  return [...chars.slice(0, MAX_NAME_LENGTH - extension.length), ...extension].join('').trim();
}

/** A search result's text as plain pieces, matched or not: the client renders them as text, never as HTML. */
import { MATCH_END, MATCH_START } from '../../db/dialect.ts';
import type { SnippetSegment } from '../../shared/chats.ts';

/** The pieces of a snippet the database marked (MATCH_START … MATCH_END around each match). */
export function markedSegments(marked: string): SnippetSegment[] {
  const segments: SnippetSegment[] = [];
  for (const [i, part] of marked.split(MATCH_START).entries()) {
    // Every part but the first starts with a match, ended by MATCH_END.
    const [match, rest] = i === 0 ? ['', part] : splitOnce(part, MATCH_END);
    if (match) segments.push({ text: match, match: true });
    if (rest) segments.push({ text: rest, match: false });
  }
  return segments;
}

/** The pieces of `text` with each occurrence of any of `words` (letters and digits only) marked as a match, ignoring case. */
export function wordSegments(text: string, words: readonly string[]): SnippetSegment[] {
  const pattern = new RegExp(words.join('|'), 'giu');
  const segments: SnippetSegment[] = [];
  let from = 0;
  for (const found of text.matchAll(pattern)) {
    if (found.index > from) segments.push({ text: text.slice(from, found.index), match: false });
    segments.push({ text: found[0], match: true });
    from = found.index + found[0].length;
  }
  if (from < text.length) segments.push({ text: text.slice(from), match: false });
  return segments;
}

function splitOnce(text: string, separator: string): [string, string] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, ''] : [text.slice(0, at), text.slice(at + separator.length)];
}

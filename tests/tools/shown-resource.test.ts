/**
 * What a person is shown of a resource read: text (text blobs decoded) up to 256 KB per read,
 * images and audio within a tool card's types and limits, and a line for everything left out.
 */
import { expect, test } from 'bun:test';
import type { ResourceContent } from '../../server/mcp/resource-read.ts';
import { shownResource } from '../../server/tools/shown-resource.ts';

const KB = 1024;
const base64Of = (bytes: number) => Buffer.alloc(bytes, 7).toString('base64');

test('text is shown as it came, and a text blob decoded', () => {
  const read = shownResource([
    { uri: 'a://1', mimeType: 'text/markdown', text: '# Hi' },
    { uri: 'a://2', text: 'no type' },
    { uri: 'a://3', mimeType: 'text/plain', blob: Buffer.from('héllo').toString('base64') },
  ]);
  expect(read).toEqual({
    contents: [
      { uri: 'a://1', mimeType: 'text/markdown', text: '# Hi' },
      { uri: 'a://2', text: 'no type' },
      { uri: 'a://3', mimeType: 'text/plain', text: 'héllo' },
    ],
    leftOut: [],
  });
});

test('past 256 KB of text in one read, the rest is left out and said', () => {
  const read = shownResource([
    { uri: 'a://big', text: 'x'.repeat(200 * KB) },
    { uri: 'a://more', text: 'y'.repeat(100 * KB) },
    { uri: 'a://blob', mimeType: 'text/plain', blob: base64Of(300 * KB) },
    { uri: 'a://small', text: 'fits' },
  ]);
  expect(read.contents.map((c) => c.uri)).toEqual(['a://big', 'a://small']);
  expect(read.leftOut).toEqual([
    'the text of a://more (100 KB) was not shown: at most 256 KB of text is shown per read',
    'the text of a://blob (300 KB) was not shown: at most 256 KB of text is shown per read',
  ]);
});

test('images and audio of the card’s types and limits are shown; SVG, other blobs and oversized media are not', () => {
  const read = shownResource([
    { uri: 'a://png', mimeType: 'image/png', blob: base64Of(100) },
    { uri: 'a://ogg', mimeType: 'audio/ogg', blob: base64Of(100) },
    { uri: 'a://svg', mimeType: 'image/svg+xml', blob: base64Of(100) },
    { uri: 'a://huge', mimeType: 'image/png', blob: base64Of(300 * KB) },
    { uri: 'a://pdf', mimeType: 'application/pdf', blob: base64Of(100) },
    { uri: 'a://none', blob: base64Of(100) },
  ]);
  expect(read.contents).toEqual([
    { uri: 'a://png', mimeType: 'image/png', data: base64Of(100) },
    { uri: 'a://ogg', mimeType: 'audio/ogg', data: base64Of(100) },
  ]);
  expect(read.leftOut).toEqual([
    'a://svg: an image of type image/svg+xml was not shown: only PNG, JPEG, GIF and WebP images are shown',
    'a://huge: an image of 300 KB was not shown: larger than 256 KB',
    'a://pdf (application/pdf) was not shown: only text, images and audio are shown',
    'a://none (no type) was not shown: only text, images and audio are shown',
  ]);
});

test('at most 20 pieces, the rest counted in one line; an overlong URI is left out', () => {
  const many: ResourceContent[] = Array.from({ length: 25 }, (_, i) => ({ uri: `a://${i}`, text: String(i) }));
  many[0] = { uri: `a://${'x'.repeat(3000)}`, text: 'long' };
  const read = shownResource(many);
  expect(read.contents).toHaveLength(19);
  expect(read.leftOut).toEqual([
    'a piece was not shown: its URI is longer than 2048 characters',
    '5 more pieces were not shown: at most 20 are shown per read',
  ]);
});

/**
 * What a tool card shows of a result beyond its text: images and audio of the allowed types within
 * their size and count limits, resources with their text cut, structured content within its limit,
 * and a line saying why for everything left out.
 */
import { expect, test } from 'bun:test';
import type { ToolCallResult, ToolContentBlock } from '../../server/agent/tool-port.ts';
import { cardMedia } from '../../server/agent/tool-media.ts';

const MB = 1024 * 1024;
const base64Of = (bytes: number) => Buffer.alloc(bytes, 7).toString('base64');
const image = (mimeType: string, bytes = 100): ToolContentBlock => ({ type: 'image', mimeType, data: base64Of(bytes) });
const audio = (mimeType: string, bytes = 100): ToolContentBlock => ({ type: 'audio', mimeType, data: base64Of(bytes) });
const ok = (content: ToolContentBlock[], structuredContent?: Record<string, unknown>): ToolCallResult => ({
  ok: true,
  content,
  structuredContent,
  text: '',
});

test('images of the four raster types are kept as base64 with their type; SVG and others are not, and say so', () => {
  const { media, leftOut } = cardMedia(
    ok([
      image('image/png'),
      image('IMAGE/JPEG; q=1'),
      image('image/svg+xml'),
      { type: 'image', data: base64Of(10) },
      { type: 'text', text: 'caption' },
    ]),
  );
  expect(media).toEqual([
    { kind: 'image', mimeType: 'image/png', data: base64Of(100) },
    { kind: 'image', mimeType: 'image/jpeg', data: base64Of(100) },
  ]);
  expect(leftOut).toEqual([
    'an image of type image/svg+xml was not shown: only PNG, JPEG, GIF and WebP images are shown',
    'an image of type (none) was not shown: only PNG, JPEG, GIF and WebP images are shown',
  ]);
});

test('images: at most 256 KB each (decoded) and 3 per card; data that is not base64 is refused', () => {
  const { media, leftOut } = cardMedia(
    ok([
      image('image/png', 256 * 1024),
      image('image/webp', Math.round(3.2 * MB)),
      { type: 'image', mimeType: 'image/gif', data: '<svg onload=alert(1)>' },
      image('image/gif'),
      image('image/png'),
      image('image/png', 2048),
    ]),
  );
  expect(media.map((m) => m.kind === 'image' && m.mimeType)).toEqual(['image/png', 'image/gif', 'image/png']);
  expect(leftOut).toEqual([
    'an image of 3.2 MB was not shown: larger than 256 KB',
    'an image was not shown: its data is not base64',
    'an image of 2 KB was not shown: at most 3 images are shown per call',
  ]);
});

test('audio: four types, at most 512 KB, one per card', () => {
  const { media, leftOut } = cardMedia(
    ok([audio('audio/flac'), audio('audio/mpeg', 3 * MB), audio('audio/ogg; codecs=opus'), audio('audio/wav')]),
  );
  expect(media).toEqual([{ kind: 'audio', mimeType: 'audio/ogg', data: base64Of(100) }]);
  expect(leftOut).toEqual([
    'audio of type audio/flac was not shown: only MP3, WAV, Ogg and WebM audio is played',
    'audio of 3 MB was not shown: larger than 512 KB',
    'audio of 100 bytes was not shown: one audio clip is played per call',
  ]);
});

test('embedded resources keep their text, cut at 16 KB without splitting a character; links keep their name', () => {
  const long = `${'a'.repeat(16 * 1024 - 1)}é and more`;
  const { media, leftOut } = cardMedia(
    ok([
      { type: 'resource', resource: { uri: 'file:///notes.md', mimeType: 'text/markdown', text: '# Notes' } },
      { type: 'resource', resource: { uri: 'file:///long.txt', text: long } },
      { type: 'resource', resource: { uri: 'file:///logo.png', mimeType: 'image/png' } }, // a blob resource: no text
      { type: 'resource_link', uri: 'file:///report.pdf', name: 'report.pdf', mimeType: 'application/pdf' },
      { type: 'resource_link', uri: `data:text/plain,${'x'.repeat(3000)}`, name: 'huge' },
    ]),
  );
  expect(media).toEqual([
    { kind: 'resource', uri: 'file:///notes.md', mimeType: 'text/markdown', text: '# Notes' },
    { kind: 'resource', uri: 'file:///long.txt', text: `${'a'.repeat(16 * 1024 - 1)}\n…(cut at 16 KB)` },
    { kind: 'resource', uri: 'file:///logo.png', mimeType: 'image/png' },
    { kind: 'resource', uri: 'file:///report.pdf', name: 'report.pdf', mimeType: 'application/pdf' },
  ]);
  expect(leftOut).toEqual(['a resource was not shown: its URI is longer than 2048 characters']);
});

test('at most 10 resources per card', () => {
  const links = Array.from({ length: 11 }, (_, i): ToolContentBlock => ({ type: 'resource_link', uri: `file:///${i}`, name: `${i}` }));
  const { media, leftOut } = cardMedia(ok(links));
  expect(media).toHaveLength(10);
  expect(leftOut).toEqual(['the resource file:///10 was not shown: at most 10 resources are shown per call']);
});

test('structured content is kept up to 64 KB as JSON, and only from a result that succeeded', () => {
  expect(cardMedia(ok([], { temperature: 21, conditions: 'sunny' }))).toEqual({
    media: [],
    structured: { temperature: 21, conditions: 'sunny' },
    leftOut: [],
  });
  expect(cardMedia(ok([], { blob: 'x'.repeat(100 * 1024) }))).toEqual({
    media: [],
    leftOut: ['structured content of 100 KB was not shown: larger than 64 KB'],
  });
  // A tool's failure still shows what it sent along; nothing is made of a failure without content.
  const failed: ToolCallResult = { ok: false, kind: 'tool-error', message: 'boom', content: [image('image/png')] };
  expect(cardMedia(failed).media).toHaveLength(1);
  expect(cardMedia({ ok: false, kind: 'timeout', message: 'slow' })).toEqual({ media: [], leftOut: [] });
});

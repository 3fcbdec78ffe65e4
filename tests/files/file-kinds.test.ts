/** What an upload is taken for comes from its bytes: every accepted image format by its signature, whatever it is called. */
import { expect, test } from 'bun:test';
import { classify } from '../../server/files/file-kinds.ts';
import { PNG_BYTES } from './sample-files.ts';

const bytes = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));

test('PNG, JPEG, WebP and GIF are known by their bytes, not their names', () => {
  expect(classify('shot', '', PNG_BYTES)).toEqual({ kind: 'image', mediaType: 'image/png' });
  expect(classify('photo.jpg', 'image/jpeg', bytes('\xff\xd8\xff\xe0rest'))).toEqual({ kind: 'image', mediaType: 'image/jpeg' });
  expect(classify('anim.gif', '', bytes('GIF89a rest'))).toEqual({ kind: 'image', mediaType: 'image/gif' });
  expect(classify('pic.webp', '', bytes('RIFF\x10\x00\x00\x00WEBPVP8 '))).toEqual({ kind: 'image', mediaType: 'image/webp' });
  // A WebP called a PNG is still a WebP, and served as one.
  expect(classify('pic.png', 'image/png', bytes('RIFF\x10\x00\x00\x00WEBPVP8 '))).toEqual({ kind: 'image', mediaType: 'image/webp' });
});

test('text is known by its name or declared type, and must be UTF-8 without NUL', () => {
  expect(classify('main.rs', '', bytes('fn main() {}'))).toEqual({ kind: 'text', mediaType: 'text/plain' });
  expect(classify('Makefile', 'text/x-makefile', bytes('all:\n'))).toEqual({ kind: 'text', mediaType: 'text/plain' });
  expect(() => classify('data.csv', 'text/csv', bytes('a,b\x00'))).toThrow('data.csv is not UTF-8 text');
  expect(() => classify('Makefile', '', bytes('all:\n'))).toThrow(
    'Makefile is a file of a type that cannot be attached; you can attach images (PNG, JPEG, WebP, GIF), text files, source code and PDFs.',
  );
});

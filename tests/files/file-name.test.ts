/**
 * The name an upload is kept under, and the Content-Disposition it is served with: folders,
 * control characters and bidirectional overrides are dropped, the browsers' %22 is a quote again,
 * a long name is shortened keeping its extension, and no name breaks out of the header.
 */
import { expect, test } from 'bun:test';
import { fileDisposition } from '../../server/files/disposition.ts';
import { uploadedFileName } from '../../server/files/file-name.ts';

test('folders are dropped, whichever system named them', () => {
  expect(uploadedFileName('C:\\Users\\ada\\report.txt')).toBe('report.txt');
  expect(uploadedFileName('../../etc/passwd.txt')).toBe('passwd.txt');
  expect(uploadedFileName('/tmp/')).toBe('unnamed file');
  expect(uploadedFileName('..')).toBe('unnamed file');
  expect(uploadedFileName('   ')).toBe('unnamed file');
});

test('what browsers escape in a form is decoded, and nothing else', () => {
  expect(uploadedFileName('say %22hi%22.txt')).toBe('say "hi".txt');
  expect(uploadedFileName('100%25 sure.txt')).toBe('100%25 sure.txt');
  expect(uploadedFileName('two%0D%0Alines.txt')).toBe('twolines.txt');
});

test('control characters and bidirectional overrides are dropped', () => {
  expect(uploadedFileName('tab\there\u0000.txt')).toBe('tabhere.txt');
  // The override shows it as "invoiceexe.pdf".
  expect(uploadedFileName('invoice\u202Efdp.exe')).toBe('invoicefdp.exe');
  expect(uploadedFileName('\u2067isolated\u2069 \u200Fmarked.md')).toBe('isolated marked.md');
});

test('a long name is shortened to 200 characters keeping its extension, never cutting a character in half', () => {
  expect(uploadedFileName(`${'a'.repeat(300)}.md`)).toBe(`${'a'.repeat(197)}.md`);
  const emoji = uploadedFileName(`${'😀'.repeat(250)}.txt`);
  expect([...emoji]).toHaveLength(200);
  expect(emoji).toBe(`${'😀'.repeat(196)}.txt`);
  expect(uploadedFileName(`${'b'.repeat(250)}.${'c'.repeat(30)}`)).toBe('b'.repeat(200));
});

test('the served name keeps quotes, semicolons and other scripts in filename*, and only plain ASCII in filename', () => {
  expect(fileDisposition('attachment', 'say "hi"; now.txt')).toBe(
    `attachment; filename="say _hi__ now.txt"; filename*=UTF-8''say%20%22hi%22%3B%20now.txt`,
  );
  expect(fileDisposition('inline', 'Grüße (1)*.png')).toBe(
    `inline; filename="Gr__e (1)*.png"; filename*=UTF-8''Gr%C3%BC%C3%9Fe%20%281%29%2A.png`,
  );
  expect(fileDisposition('attachment', 'back\\slash\r\n.txt')).toBe(
    `attachment; filename="back_slash__.txt"; filename*=UTF-8''back%5Cslash%0D%0A.txt`,
  );
  // A lone surrogate has no UTF-8: it is served as U+FFFD rather than failing the response.
  expect(fileDisposition('attachment', 'half\uD800.txt')).toBe(`attachment; filename="half_.txt"; filename*=UTF-8''half%EF%BF%BD.txt`);
});

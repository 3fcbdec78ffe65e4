/**
 * Reading a PDF's text in a worker of its own: a normal PDF gives its text, a damaged one and a
 * scan are refused with their sentences, reading past the time limit ends the worker and refuses
 * the PDF with a sentence, and PDFs beyond the concurrency wait their turn rather than fail.
 */
import { expect, test } from 'bun:test';
import { PdfText } from '../../server/files/pdf-text.ts';
import { pdfWithText } from './sample-files.ts';

const pdfs = new PdfText({ timeLimitMs: 30_000, concurrency: 2 });

test('a PDF’s text is read, and the caller keeps its bytes', async () => {
  const bytes = pdfWithText('Revenue grew by 12 percent');
  expect(await pdfs.of('report.pdf', bytes, 1000)).toBe('Revenue grew by 12 percent');
  expect(bytes.byteLength).toBeGreaterThan(0);
  expect(new TextDecoder().decode(bytes.subarray(0, 8))).toBe('%PDF-1.4');
});

test('more PDFs than may be read at once wait their turn, and each gives its own text', async () => {
  const texts = ['First', 'Second', 'Third', 'Fourth', 'Fifth'];
  expect(await Promise.all(texts.map((text) => pdfs.of(`${text}.pdf`, pdfWithText(text), 1000)))).toEqual(texts);
});

test('a damaged PDF and one without a text layer are refused with a sentence', async () => {
  await expect(pdfs.of('broken.pdf', new TextEncoder().encode('%PDF-1.4\nnot really'), 1000)).rejects.toThrow(
    'broken.pdf could not be opened as a PDF (it may be damaged or password-protected).',
  );
  await expect(pdfs.of('scan.pdf', pdfWithText(''), 1000)).rejects.toThrow(
    'scan.pdf has no text to read (it may be scanned pages); attach the pages as images instead.',
  );
});

test('a PDF that takes longer than the time limit is refused, and the next one is read', async () => {
  // Starting a worker and loading pdf.js alone takes longer than this.
  const hasty = new PdfText({ timeLimitMs: 1, concurrency: 1 });
  await expect(hasty.of('slow.pdf', pdfWithText('Never read'), 1000)).rejects.toThrow(
    'slow.pdf took too long to read (over 0.001 seconds); attach a smaller PDF, or its text as a text file.',
  );
  expect(await pdfs.of('quick.pdf', pdfWithText('Read at once'), 1000)).toBe('Read at once');
});

/**
 * Runs in a Worker (pdf-text.ts starts one per PDF and ends it when the time limit passes): reads
 * a PDF's text with unpdf (Mozilla's pdf.js built to run without a browser or worker of its own).
 * Pages past MAX_PAGES are not read, and reading stops between pages once `readMs` have passed or
 * `maxChars` of text were found, with a line saying so; a single page that takes longer is what
 * ending the worker is for.
 */
import { getDocumentProxy } from 'unpdf';
import type { PdfReply, PdfRequest } from './pdf-text.ts';

declare var self: Worker;

const MAX_PAGES = 500;

self.onmessage = async ({ data }: MessageEvent<PdfRequest>) => {
  self.postMessage(await extract(data));
};

async function extract({ bytes, maxChars, readMs }: PdfRequest): Promise<PdfReply> {
  const deadline = Date.now() + readMs;
  // Errors only (verbosity 0): pdf.js would print warnings about damaged files to the console.
  const pdf = await getDocumentProxy(bytes, { verbosity: 0 }).catch(() => undefined);
  if (!pdf) return { failure: 'unreadable' };
  try {
    const pages: string[] = [];
    let chars = 0;
    let unread = '';
    for (let number = 1; number <= pdf.numPages; number++) {
      if (number > MAX_PAGES || Date.now() > deadline || chars > maxChars) {
        unread = `(Pages ${number} to ${pdf.numPages} were not read: reading a PDF is limited to ${MAX_PAGES} pages, ${Math.ceil(readMs / 1000)} seconds and the text a file may give.)`;
        break;
      }
      const content = await (await pdf.getPage(number)).getTextContent();
      const text = content.items.map((item) => ('str' in item ? item.str + (item.hasEOL ? '\n' : '') : '')).join('');
      pages.push(text);
      chars += text.length;
    }
    const text = pages.join('\n\n').trim();
    if (text === '') return { failure: 'no-text' };
    return { text: unread ? `${text}\n\n${unread}` : text };
  } catch {
    return { failure: 'unreadable' };
  } finally {
    await pdf.destroy();
  }
}

/**
 * A PDF's text, read in a Worker of its own (pdf-worker.ts): pdf.js is a large parser of untrusted
 * input, and one hostile page could hold the CPU for as long as it likes. In the server's own
 * thread that would stall every chat; in a worker it is ended when `timeLimitMs` has passed (a hard
 * bound, whatever pdf.js is doing), and the PDF is refused with a sentence. At most `concurrency`
 * PDFs are read at once (the rest wait their turn), so uploads of PDFs cannot take every core. A
 * PDF that cannot be opened, or has no text layer (a scan), is refused with a sentence too.
 */
import { DomainError } from '../domain-error.ts';

export interface PdfTextOptions {
  /** How long reading one PDF may take before its worker is ended. */
  timeLimitMs: number;
  /** PDFs read at once. */
  concurrency: number;
}

/** What the worker is asked: `bytes` are handed over to it. It stops reading pages after `readMs`. */
export interface PdfRequest {
  bytes: Uint8Array;
  maxChars: number;
  readMs: number;
}

export type PdfReply = { text: string } | { failure: 'unreadable' | 'no-text' };

const DEFAULTS: PdfTextOptions = { timeLimitMs: 30_000, concurrency: 2 };
/** Of the time limit, the worker reads pages for this share and keeps what it found; ending it loses everything. */
const READING_SHARE = 2 / 3;
const WORKER_URL = new URL('./pdf-worker.ts', import.meta.url).href;

export class PdfText {
  #running = 0;
  readonly #waiting: (() => void)[] = [];

  constructor(private readonly options: PdfTextOptions = DEFAULTS) {}

  async of(name: string, bytes: Uint8Array, maxChars: number): Promise<string> {
    await this.#turn();
    try {
      return await this.#read(name, bytes, maxChars);
    } finally {
      this.#running--;
      this.#waiting.shift()?.();
    }
  }

  async #turn(): Promise<void> {
    if (this.#running >= this.options.concurrency) await new Promise<void>((resolve) => this.#waiting.push(resolve));
    this.#running++;
  }

  async #read(name: string, bytes: Uint8Array, maxChars: number): Promise<string> {
    const { timeLimitMs } = this.options;
    const worker = new Worker(WORKER_URL);
    const reply = Promise.withResolvers<PdfReply>();
    worker.onmessage = ({ data }: MessageEvent<PdfReply>) => reply.resolve(data);
    worker.onerror = (event) => reply.reject(new Error(`Reading ${name} as a PDF failed: ${event.message}`));
    const timer = setTimeout(
      () =>
        reply.reject(
          new DomainError(
            'invalid',
            `${name} took too long to read (over ${timeLimitMs / 1000} seconds); attach a smaller PDF, or its text as a text file.`,
          ),
        ),
      timeLimitMs,
    );
    // The worker takes a copy over, and the caller keeps the bytes (pdf.js may detach its buffer).
    const copy = new Uint8Array(bytes);
    const request: PdfRequest = { bytes: copy, maxChars, readMs: timeLimitMs * READING_SHARE };
    worker.postMessage(request, [copy.buffer]);
    try {
      const result = await reply.promise;
      if ('text' in result) return result.text;
      throw result.failure === 'no-text'
        ? new DomainError('invalid', `${name} has no text to read (it may be scanned pages); attach the pages as images instead.`)
        : new DomainError('invalid', `${name} could not be opened as a PDF (it may be damaged or password-protected).`);
    } finally {
      clearTimeout(timer);
      worker.terminate();
    }
  }
}

/**
 * Files a person attaches to a message: what the API says of each, the kinds the model is given,
 * and the limits a composer checks before uploading (the server checks them again, with the
 * sentence a refusal gives). The bytes are kept in the application database, owned by the chat.
 */

/** How the model is given a file: as an image part, as text with its name, or as a PDF's extracted text. */
export type FileKind = 'image' | 'text' | 'pdf';

/** Image types a model that accepts images is sent (as image parts). */
export const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/webp', 'image/gif'] as const;

/**
 * Names a text file may end in: plain text, Markdown, CSV, JSON and the usual source code. A file
 * is also taken as text when its type is text/*; either way its bytes must be UTF-8.
 */
// biome-ignore format: a word list reads better packed
export const TEXT_EXTENSIONS = [
  'txt', 'text', 'log', 'md', 'markdown', 'csv', 'tsv', 'json', 'jsonl', 'ndjson', 'yaml', 'yml', 'toml', 'ini', 'xml', 'html',
  'css', 'scss', 'sql', 'graphql', 'ts', 'tsx', 'js', 'jsx', 'mjs', 'cjs', 'py', 'rb', 'go', 'rs', 'java', 'kt', 'swift', 'c',
  'h', 'cpp', 'hpp', 'cc', 'cs', 'php', 'sh', 'bash', 'zsh', 'ps1', 'r', 'lua', 'pl', 'scala', 'dart', 'vue', 'svelte', 'tex',
] as const;

/** A file name's extension, lower-case, without the dot; '' when it has none (a leading dot names a hidden file, not an extension). */
export function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

/** An attached file, as the chat shows it and the API returns it. */
export interface FileDto {
  id: string;
  /** The name it was uploaded with. */
  name: string;
  /** Its content type as served: one of IMAGE_TYPES, text/plain, or application/pdf. */
  mediaType: string;
  /** Bytes. */
  size: number;
  kind: FileKind;
}

/** The limits in force (settings of the deployment), for a composer to check before uploading. */
export interface FileLimits {
  /** One file's bytes at most. */
  maxFileBytes: number;
  /** All files of one message together. */
  maxMessageBytes: number;
  /** Files one message may carry. */
  maxFilesPerMessage: number;
}

/** Where the chat's owner fetches a file (their session cookie or API token); anyone else gets 404. */
export const fileUrl = (fileId: string) => `/files/${fileId}`;

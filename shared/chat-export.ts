/**
 * A chat exported (`chats.export`): the file's name and text, Markdown to read or JSON to re-read.
 * The JSON is a `ChatExport`, versioned: a later version may add fields, and changes `version`
 * when one changes meaning. It holds the history as `chats.get` returns it, except media data,
 * which `leftOut` names.
 */
import type { ChatMessageDto, DecidedBy, ToolCallCard, ToolMedia } from './chat-events.ts';

export type ChatExportFormat = 'markdown' | 'json';

/** What `chats.export` returns: save `content` as `fileName`. */
export interface ExportedFile {
  format: ChatExportFormat;
  /** The chat's title, made safe as a file name, with `.md` or `.json`. */
  fileName: string;
  mediaType: 'text/markdown' | 'application/json';
  content: string;
}

export interface ChatExport {
  format: 'countersign-chat';
  version: 1;
  exportedAt: string;
  chat: { id: string; title: string; createdAt: string; updatedAt: string };
  /** Oldest first, as `chats.get` returns them; the `tool` messages are what the model read of each result. */
  messages: ExportedMessage[];
  /** One sentence per kind of thing this export does not hold, e.g. "2 images' data (image/png)". Empty when nothing was left out. */
  leftOut: string[];
}

export type ExportedMessage =
  | Exclude<ChatMessageDto, { role: 'assistant' }>
  | (Omit<Extract<ChatMessageDto, { role: 'assistant' }>, 'toolCalls'> & { toolCalls: ExportedToolCall[] });

/** A tool card as exported: who decided is named, and images and audio carry no data. */
export interface ExportedToolCall extends Omit<ToolCallCard, 'decidedBy' | 'media'> {
  decidedBy?: ExportedDecider;
  media?: ExportedMedia[];
}

/** `DecidedBy`, with the person's name (or email) as Countersign knows it. */
export type ExportedDecider = Extract<DecidedBy, { kind: 'policy' }> | (Extract<DecidedBy, { kind: 'person' }> & { name: string });

/** Images and audio without their data (named in `leftOut`); resources as they are. */
export type ExportedMedia =
  | { kind: 'image' | 'audio'; mimeType: string /** Size of the data left out. */; bytes: number }
  | Extract<ToolMedia, { kind: 'resource' }>;

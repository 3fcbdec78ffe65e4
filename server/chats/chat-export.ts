/**
 * A chat as a file (`chats.export`): its history as `chats.get` returns it, with who decided each
 * call named and media data left out (and said to be), as versioned JSON or as Markdown.
 */
import type { ChatMessageDto, DecidedBy, ToolCallCard, ToolMedia } from '../../shared/chat-events.ts';
import type {
  ChatExport,
  ChatExportFormat,
  ExportedDecider,
  ExportedFile,
  ExportedMedia,
  ExportedMessage,
  ExportedToolCall,
} from '../../shared/chat-export.ts';
import type { ChatWithHistory } from '../../shared/chats.ts';
import { counted } from '../../shared/counted.ts';
import { chatMarkdown } from './chat-markdown.ts';

/** The chat's owner: the only person who decides calls in their chat. */
export interface ChatOwner {
  id: string;
  name: string | null;
  email: string | null;
}

export function exportChat(chat: ChatWithHistory, owner: ChatOwner, format: ChatExportFormat, now = new Date()): ExportedFile {
  const doc = chatExport(chat, owner, now);
  const base = fileBaseName(doc.chat.title);
  if (format === 'json') {
    return { format, fileName: `${base}.json`, mediaType: 'application/json', content: `${JSON.stringify(doc, null, 2)}\n` };
  }
  return { format, fileName: `${base}.md`, mediaType: 'text/markdown', content: chatMarkdown(doc, personName(owner)) };
}

export function chatExport({ chat, history }: ChatWithHistory, owner: ChatOwner, now: Date): ChatExport {
  const dropped = { image: 0, audio: 0 };
  const media = (item: ToolMedia): ExportedMedia => {
    if (item.kind === 'resource') return item;
    dropped[item.kind] += 1;
    return { kind: item.kind, mimeType: item.mimeType, bytes: base64Bytes(item.data) };
  };
  const card = ({ decidedBy, media: items, ...rest }: ToolCallCard): ExportedToolCall => ({
    ...rest,
    ...(decidedBy && { decidedBy: decider(decidedBy, owner) }),
    ...(items && { media: items.map(media) }),
  });
  const message = (m: ChatMessageDto): ExportedMessage => (m.role === 'assistant' ? { ...m, toolCalls: m.toolCalls.map(card) } : m);
  const messages = history.messages.map(message);
  const leftOut: string[] = [];
  if (dropped.image + dropped.audio > 0) {
    const what = [dropped.image && counted(dropped.image, 'image'), dropped.audio && counted(dropped.audio, 'audio clip')].filter(Boolean);
    leftOut.push(`The data of ${what.join(' and ')} in tool results (their type and size are kept).`);
  }
  return {
    format: 'countersign-chat',
    version: 1,
    exportedAt: now.toISOString(),
    chat: { id: chat.id, title: chat.title, createdAt: chat.createdAt, updatedAt: chat.updatedAt },
    messages,
    leftOut,
  };
}

function decider(by: DecidedBy, owner: ChatOwner): ExportedDecider {
  if (by.kind === 'policy') return by;
  // Only the owner decides in their chat today; anyone else is named by id rather than guessed at.
  return { ...by, name: by.userId === owner.id ? personName(owner) : `person ${by.userId}` };
}

const personName = (person: ChatOwner) => person.name ?? person.email ?? `person ${person.id}`;

function base64Bytes(data: string): number {
  const padding = data.endsWith('==') ? 2 : data.endsWith('=') ? 1 : 0;
  return Math.floor((data.length * 3) / 4) - padding;
}

/** The title without what file systems refuse or hide (separators, reserved characters, leading dots). */
function fileBaseName(title: string): string {
  const safe = title
    .replace(/[\\/:*?"<>|\p{Cc}]/gu, '-')
    .replace(/^[.\s]+|[.\s]+$/g, '')
    .slice(0, 100);
  return safe || 'chat';
}

/**
 * A filled-in prompt as the composer receives it: each message as text, ready to be put in the
 * message box. What is not text is named, never embedded ("[image image/png]"); an embedded text
 * resource is its text. At most 64 KB of text in all: what does not fit is cut, and said.
 */
import type { FilledPromptDto } from '../../shared/servers.ts';
import { size, textWithin, utf8Bytes } from '../agent/tool-media.ts';
import type { FilledPrompt, PromptContent } from '../mcp/prompts.ts';

const MAX_TEXT_BYTES = 64 * 1024;

export function shownPrompt(prompt: Extract<FilledPrompt, { ok: true }>): FilledPromptDto {
  const messages: FilledPromptDto['messages'] = [];
  const leftOut: string[] = [];
  let room = MAX_TEXT_BYTES;
  for (const [index, { role, content }] of prompt.messages.entries()) {
    const text = textOf(content);
    const bytes = utf8Bytes(text);
    if (bytes <= room) {
      messages.push({ role, text });
      room -= bytes;
      continue;
    }
    if (room > 0) messages.push({ role, text: textWithin(text, room) });
    const rest = prompt.messages.length - index - 1;
    leftOut.push(
      `The prompt was cut at ${size(MAX_TEXT_BYTES)} of text${rest > 0 ? `; ${rest} more ${rest === 1 ? 'message was' : 'messages were'} left out` : ''}.`,
    );
    break;
  }
  return { description: prompt.description ?? null, messages, leftOut };
}

function textOf(content: PromptContent): string {
  switch (content.type) {
    case 'text':
      return content.text;
    case 'image':
    case 'audio':
      return `[${content.type} ${content.mimeType}]`;
    case 'resource':
      return content.text ?? `[resource ${content.uri}]`;
    case 'other':
      return `[${content.name}]`;
  }
}

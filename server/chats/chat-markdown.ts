/**
 * An exported chat as Markdown for people to read: each message under its author, each tool call
 * as a section with its arguments (the model's too, when edited), who decided and why, and its
 * result, fenced. What the export left out is said at the top.
 */
import type { ChatExport, ExportedMedia, ExportedToolCall } from '../../shared/chat-export.ts';
import { size } from '../agent/tool-media.ts';

export function chatMarkdown(doc: ChatExport, ownerName: string): string {
  const blocks = [
    `# ${doc.chat.title.replace(/\s+/g, ' ')}`,
    `Exported from Countersign on ${when(doc.exportedAt)}. Started ${when(doc.chat.createdAt)}, last changed ${when(doc.chat.updatedAt)}.`,
  ];
  if (doc.leftOut.length > 0) blocks.push(['Left out of this export:', ...doc.leftOut.map((what) => `- ${what}`)].join('\n'));
  // The model's reading of a result is shown on its card; a tool message stands alone only without one.
  const carded = new Set(doc.messages.flatMap((m) => (m.role === 'assistant' ? m.toolCalls.map((c) => c.toolCallId) : [])));
  for (const message of doc.messages) {
    if (message.role === 'user') {
      blocks.push(`## ${ownerName}`, message.text);
      if (message.attachments?.length) blocks.push(['Attached:', ...message.attachments.map((a) => `- ${a.name} (${a.uri})`)].join('\n'));
      if (message.files?.length)
        blocks.push(['Files:', ...message.files.map((f) => `- ${f.name} (${f.mediaType}, ${size(f.size)})`)].join('\n'));
    } else if (message.role === 'assistant') {
      blocks.push('## Assistant');
      if (message.text) blocks.push(message.text);
      if (message.stopped) blocks.push('*Stopped by the person before it was finished.*');
      for (const call of message.toolCalls) blocks.push(...toolCall(call));
    } else if (!carded.has(message.toolCallId)) {
      blocks.push(message.isError ? '## Tool error' : '## Tool result', fenced(message.text));
    }
  }
  return `${blocks.join('\n\n')}\n`;
}

function toolCall(call: ExportedToolCall): string[] {
  const blocks = [
    `### Tool call: ${call.tool.name} (${call.tool.serverName || 'unknown server'})`,
    `Status: ${call.status.replaceAll('_', ' ')}`,
  ];
  blocks.push(decisionLine(call));
  if (call.proposedArguments) {
    blocks.push(
      'Arguments, as edited:',
      fenced(json(call.arguments), 'json'),
      'Arguments the model proposed:',
      fenced(json(call.proposedArguments), 'json'),
    );
  } else {
    blocks.push('Arguments:', fenced(json(call.arguments), 'json'));
  }
  if (call.result !== undefined) blocks.push(call.status === 'failed' ? 'Error:' : 'Result:', fenced(call.result));
  if (call.structured !== undefined) blocks.push('Structured result:', fenced(json(call.structured), 'json'));
  for (const item of call.media ?? []) blocks.push(...media(item));
  return blocks;
}

/** Who decided and why: "Approved by Uma User", "Rejected by Uma User — reason: …", "Ran without asking: policy". */
function decisionLine(call: ExportedToolCall): string {
  const by = call.decidedBy?.kind === 'person' ? call.decidedBy.name : 'policy';
  const at = call.decidedAt ? ` (${when(call.decidedAt)})` : '';
  const asked = call.reason ? `; asked because: ${call.reason}` : '';
  switch (call.decision) {
    case 'approved':
      return `**Approved by ${by}**${at}${asked}`;
    case 'edited':
      return `**Edited and approved by ${by}**${at}${asked}`;
    case 'rejected':
      return `**Rejected by ${by}**${at} — ${call.reason ? `reason: ${call.reason}` : 'no reason given'}`;
    case 'denied':
      return `**Denied by policy**${at}${call.reason ? ` — reason: ${call.reason}` : ''}`;
    case 'auto':
      return `**Ran without asking: policy**${call.reason ? ` (${call.reason})` : ''}`;
    case undefined:
      return call.status === 'awaiting_approval' ? '**Waiting for approval**' : '**Not decided**';
  }
}

function media(item: ExportedMedia): string[] {
  if (item.kind !== 'resource')
    return [`Attached ${item.kind} (${item.mimeType}, ${item.bytes.toLocaleString('en-US')} bytes): its data is left out of this export.`];
  const head = `Resource: ${item.name ? `${item.name} ` : ''}<${item.uri}>`;
  return item.text === undefined ? [head] : [head, fenced(item.text)];
}

const json = (value: unknown) => JSON.stringify(value, null, 2);

/** A code block whose fence is longer than any run of backticks inside, so no content can close it. */
function fenced(text: string, language = ''): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${language}\n${text}\n${fence}`;
}

/** "2026-12-04 19:30 UTC": minutes are enough for a reader; the JSON export keeps the instant. */
const when = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;

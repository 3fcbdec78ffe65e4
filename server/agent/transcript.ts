/** The conversation as the model is shown it, which may differ from what the checkpoint keeps. */
import { AIMessage, HumanMessage, ToolMessage, type BaseMessage, type ContentBlock } from '@langchain/core/messages';
import type { ToolCallCard } from '../../shared/chat-events.ts';
import type { FileDto } from '../../shared/files.ts';
import type { FileReader, ModelFile } from './file-port.ts';
import { continueText, stoppedBeforeResultText, toolImageLabel, toolImagesText } from './prompts.ts';
import { isStopped } from './stopped.ts';
import { filesOf } from './user-message.ts';

/**
 * At most this many images per request: those of the tool results the model has not answered yet
 * (since its last reply without tool calls), the newest when there are more. A card keeps at most
 * 3 images of at most 256 KB (tool-media.ts), so a request carries at most about 1.5 MB of them,
 * and an earlier turn's images are not sent again with every later message.
 */
const MAX_IMAGES_SHOWN = 6;

/**
 * A run stopped mid-tools leaves calls without results, which chat-completions APIs refuse;
 * the model is told those calls have no result (the checkpoint itself is left as it was).
 */
export function withClosedToolCalls(messages: BaseMessage[]): BaseMessage[] {
  const answered = new Set(messages.filter((m) => ToolMessage.isInstance(m)).map((m) => m.tool_call_id));
  return messages.flatMap((message) => {
    if (!AIMessage.isInstance(message) || !message.tool_calls?.length) return [message];
    const open = message.tool_calls.filter((call) => call.id && !answered.has(call.id));
    return [message, ...open.map((call) => new ToolMessage({ tool_call_id: call.id!, content: stoppedBeforeResultText, status: 'error' }))];
  });
}

/**
 * Continuing an answer the person stopped: the model reads its partial answer last, and is asked
 * to go on from it. The request is the model's only: nothing of it is stored or shown.
 */
export function withContinuation(messages: BaseMessage[]): BaseMessage[] {
  const last = messages.at(-1);
  if (!last || !AIMessage.isInstance(last) || !isStopped(last)) return messages;
  return [...messages, new HumanMessage(continueText)];
}

/**
 * For a model that takes images. OpenAI `tool` messages carry text only, so a step's images
 * follow its tool messages as one user message: each image (a data: URL) after a line naming the
 * call it came from. They are read from the cards in the checkpoint at every request and never
 * stored as messages, so turning LLM_ACCEPTS_IMAGES off hides them again.
 */
export function withToolImages(messages: BaseMessage[]): BaseMessage[] {
  const lastAnswer = messages.findLastIndex((m) => AIMessage.isInstance(m) && !m.tool_calls?.length);
  const shown = messages.flatMap((message, at) => (at > lastAnswer ? imagesOf(message, at) : [])).slice(-MAX_IMAGES_SHOWN);
  if (shown.length === 0) return messages;

  let parts: ContentBlock[] = [];
  return messages.flatMap((message, at) => {
    for (const image of shown.filter((s) => s.at === at)) {
      parts.push({ type: 'text', text: image.label }, { type: 'image_url', image_url: { url: image.url } });
    }
    // Only after a step's last tool message: chat-completions wants every result right after its call.
    if (parts.length === 0 || ToolMessage.isInstance(messages[at + 1])) return [message];
    const images = new HumanMessage({ content: [{ type: 'text', text: toolImagesText }, ...parts] });
    parts = [];
    return [message, images];
  });
}

/** The images on the card of a tool result (message `at`), each with the line that names its call. */
function imagesOf(message: BaseMessage, at: number): { at: number; label: string; url: string }[] {
  const card = ToolMessage.isInstance(message) ? (message.artifact as { card?: ToolCallCard } | undefined)?.card : undefined;
  if (!card) return [];
  const label = toolImageLabel(card.toolCallId, card.tool.uniqueName);
  return (card.media ?? []).flatMap((media) =>
    media.kind === 'image' ? [{ at, label, url: `data:${media.mimeType};base64,${media.data}` }] : [],
  );
}

/**
 * Images people attached, one request carries at most: the newest first, within this many and
 * MAX_FILE_IMAGE_BYTES, besides those of the messages the model has not answered yet, which
 * always go (their own limits, MESSAGE_MAX_FILES and MESSAGE_FILES_MAX_BYTES, bound them). Without
 * a bound every request of a long chat would carry every screenshot in it again.
 */
const MAX_FILE_IMAGES_SHOWN = 6;
/** Their bytes as uploaded; a request carries a third more as base64. */
const MAX_FILE_IMAGE_BYTES = 8 * 1024 * 1024;

/**
 * The files attached to the person's messages, read anew for each request (the checkpoint keeps
 * references only): a text file's or a PDF's text follows the message's text as a block naming
 * the file (the text was bounded when it was uploaded), and an image follows as an image part
 * when the model takes images and the image is within the bound above, else a line says it was
 * not sent or not sent again, so the model knows it is there. A file no longer there is named.
 */
export async function withFiles(messages: BaseMessage[], reader: FileReader | undefined, acceptsImages: boolean): Promise<BaseMessage[]> {
  const attached = messages.flatMap((message, at) =>
    HumanMessage.isInstance(message) ? filesOf(message).map((file) => ({ at, file })) : [],
  );
  if (attached.length === 0) return messages;
  const shownImages = acceptsImages ? imagesShown(messages, attached) : new Set<string>();
  // Past the bound: named, and not read at all.
  const notShownAgain = (file: FileDto) => acceptsImages && file.kind === 'image' && !shownImages.has(file.id);
  const ids = attached.filter(({ file }) => !notShownAgain(file)).map(({ file }) => file.id);
  const read = new Map(((await reader?.forModel(ids, acceptsImages)) ?? []).map((file) => [file.id, file]));
  return messages.map((message) => {
    const files = HumanMessage.isInstance(message) ? filesOf(message) : [];
    if (files.length === 0) return message;
    // A message of files alone is their blocks and images alone: no empty text part.
    const texts = message.text === '' ? [] : [message.text];
    const images: ContentBlock[] = [];
    for (const attachedFile of files) {
      const { id, name } = attachedFile;
      const file = read.get(id);
      if (notShownAgain(attachedFile)) texts.push(`(The image ${name}, sent earlier, is not shown again.)`);
      else if (!file) texts.push(`(The attached file ${name} is no longer available.)`);
      else if (file.kind !== 'image') texts.push(fileBlock(file));
      else if (file.data)
        images.push({ type: 'text', text: `Attached image: ${name}` }, { type: 'image_url', image_url: { url: dataUrl(file, file.data) } });
      else texts.push(`(The image ${name} was not sent: this chat's model cannot read images.)`);
    }
    const text: ContentBlock[] = texts.length > 0 ? [{ type: 'text', text: texts.join('\n\n') }] : [];
    return new HumanMessage({ id: message.id, content: [...text, ...images] });
  });
}

/** The ids of the attached images a request carries (MAX_FILE_IMAGES_SHOWN): those not answered yet, then the newest within the bound. */
function imagesShown(messages: BaseMessage[], attached: { at: number; file: FileDto }[]): Set<string> {
  const lastAnswer = messages.findLastIndex((m) => AIMessage.isInstance(m) && !m.tool_calls?.length);
  const shown = new Set<string>();
  let bytes = 0;
  for (const { at, file } of attached.filter(({ file }) => file.kind === 'image').reverse()) {
    const unanswered = at > lastAnswer;
    if (!unanswered && (shown.size >= MAX_FILE_IMAGES_SHOWN || bytes + file.size > MAX_FILE_IMAGE_BYTES)) break;
    shown.add(file.id);
    bytes += file.size;
  }
  return shown;
}

function fileBlock({ name, mediaType, kind, text }: ModelFile): string {
  const type = kind === 'pdf' ? 'PDF, its extracted text' : mediaType;
  return [`--- Attached file: ${name} (${type}) ---`, text ?? '', `--- End of ${name} ---`].join('\n');
}

const dataUrl = (file: ModelFile, data: Buffer) => `data:${file.mediaType};base64,${data.toString('base64')}`;

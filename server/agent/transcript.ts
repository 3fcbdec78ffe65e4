/** The conversation as the model is shown it, which may differ from what the checkpoint keeps. */
import { AIMessage, HumanMessage, ToolMessage, type BaseMessage, type ContentBlock } from '@langchain/core/messages';
import type { ToolCallCard } from '../../shared/chat-events.ts';
import { continueText, stoppedBeforeResultText, toolImageLabel, toolImagesText } from './prompts.ts';
import { isStopped } from './stopped.ts';

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

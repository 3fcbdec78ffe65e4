/** The instructions the model gets. Kept together so their wording can be reviewed in one place. */
import type { RejectedCall } from './state.ts';
import type { Instructions } from './tool-view.ts';

/** Countersign's own text first, then what the person wrote: theirs may refine it, and is read as theirs. */
export function systemPrompt(rejectedThisTurn: readonly RejectedCall[], instructions: Instructions): string {
  const lines = [
    'You are the assistant in Countersign, a chat where tools come from MCP servers.',
    'A person approves many tool calls before they run, and may edit the arguments or reject a call.',
    'Call a tool only when it helps with what the person asked; otherwise answer directly.',
    'Never claim a tool ran unless you have its result.',
  ];
  if (rejectedThisTurn.length > 0) {
    lines.push(
      'The person rejected these calls in this turn. Do not propose them again; continue without them or ask what they would like instead:',
      ...rejectedThisTurn.map((r) => `- ${r.uniqueName} ${r.argumentsKey} (reason: ${r.reason})`),
    );
  }
  if (instructions.person) lines.push('', "The person's instructions:", instructions.person);
  if (instructions.chat) lines.push('', "This chat's instructions:", instructions.chat);
  return lines.join('\n');
}

export const humanePrompt = [
  'The person declined the tool call(s) you proposed, so nothing was run.',
  'Reply briefly and kindly: acknowledge their decision and any reason they gave, do not argue or retry,',
  'and offer a way forward without that tool (an answer from what you already know, or a question about what they prefer).',
].join(' ');

export const titlePrompt =
  'Write a title of at most six words for the chat that starts with the exchange below. ' +
  'Reply with the title only: no quotes, no trailing punctuation.';

export function notRunText(
  kind: 'rejected' | 'denied' | 'repeated' | 'gone' | 'already_started' | 'not_signed_in' | 'stopped',
  reason?: string,
): string {
  switch (kind) {
    case 'rejected':
      return `Not run: the person rejected this call${reason ? ` (reason: ${reason})` : ''}. Do not propose it again in this turn.`;
    case 'repeated':
      return `Not run: the person already rejected this exact call in this turn${reason ? ` (${reason})` : ''}. Do not propose it again.`;
    case 'denied':
      return `Not run: this tool is not available in this chat${reason ? ` (${reason})` : ''}.`;
    case 'gone':
      return 'Not run: the tool was removed or disallowed before the call could run.';
    case 'already_started':
      return 'Not run again: this call had already started before an interruption, and its result is unknown.';
    case 'not_signed_in':
      return `Not run: the person chose not to sign in to ${reason ?? 'its server'}, which this call needs. Go on without it.`;
    case 'stopped':
      return 'Not run: the person stopped the run before this call started.';
  }
}

export const stoppedBeforeResultText = 'No result: the run stopped before this call finished.';

/** A call the person stopped while it ran. */
export const stoppedText = 'Cancelled: the person stopped the run while this call was running; its result, if any, is lost.';

/** Follows an answer the person stopped, when they ask the model to go on with it (only in that request). */
export const continueText =
  'Continue your previous answer exactly where it stopped. Do not repeat what you already wrote and do not mention the interruption.';

/** Opens the message that shows a model which takes images the images of the tool results just above it. */
export const toolImagesText = 'The images in the results of the tool calls above (added by Countersign, not written by the person):';

export function toolImageLabel(toolCallId: string, uniqueName: string): string {
  return `From tool call ${toolCallId} (${uniqueName}):`;
}

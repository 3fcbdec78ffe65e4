import type { ToolCallResult } from './tool-port.ts';

const RESULT_LIMIT = 20_000;

/** A tool call's result as the text the model reads (and the chat shows), bounded so one tool cannot flood the context. */
export function resultText(result: ToolCallResult): string {
  if (!result.ok) return `Tool failed (${result.kind}): ${result.message}`;
  return result.text.length > RESULT_LIMIT ? `${result.text.slice(0, RESULT_LIMIT)}\n…(truncated)` : result.text;
}

/**
 * An assistant message: its text as sanitised markdown (growing while it streams), then its tool
 * calls as cards; once written, a button copies its markdown source.
 */
import { For, Show } from 'solid-js';
import type { AssistantMessage as AssistantMessageDto, ToolProgress } from '../state/conversation-view.ts';
import { CopyMessageButton } from './CopyMessageButton.tsx';
import { Markdown } from './Markdown.tsx';
import { ToolCallCardView } from './ToolCallCardView.tsx';

export function AssistantMessage(props: {
  message: AssistantMessageDto & { streaming?: boolean };
  progress: Record<string, ToolProgress>;
  userId: string;
}) {
  return (
    <div class="message assistant" aria-busy={props.message.streaming ?? false}>
      <Show when={props.message.text}>
        <Markdown text={props.message.text} class={props.message.streaming ? 'streaming' : ''} />
      </Show>
      <For each={props.message.toolCalls}>
        {(card) => <ToolCallCardView card={card} progress={props.progress[card.toolCallId]} userId={props.userId} />}
      </For>
      <Show when={props.message.text && !props.message.streaming}>
        <CopyMessageButton text={props.message.text} />
      </Show>
    </div>
  );
}

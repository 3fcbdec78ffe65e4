/**
 * An assistant message: its text as sanitised markdown (growing while it streams), then its tool
 * calls as cards; once written, a button copies its markdown source. The last answer can be
 * regenerated; one the person stopped says so, and the last one offers Continue. The first
 * answer to a regenerated message shows which of its versions this is, and each answer which
 * model wrote it (the catalogue's name; older answers have only the endpoint's).
 */
import { For, Show } from 'solid-js';
import type { AssistantMessage as AssistantMessageDto, MessageActions, ToolProgress } from '../state/conversation-view.ts';
import { BranchNavigator } from './BranchNavigator.tsx';
import { CopyMessageButton } from './CopyMessageButton.tsx';
import { Markdown } from './Markdown.tsx';
import { ToolCallCardView } from './ToolCallCardView.tsx';
import { t } from '../../../shared/i18n/t.ts';

export function AssistantMessage(props: {
  message: AssistantMessageDto & { streaming?: boolean };
  progress: Record<string, ToolProgress>;
  userId: string;
  /** The conversation's last message: it may be regenerated, or continued when stopped. */
  last?: boolean;
  actions?: MessageActions;
}) {
  const idle = () => props.actions && !props.actions.busy() && !props.message.streaming;
  const writer = () => props.message.modelName ?? props.message.model;
  return (
    <div class="message assistant" aria-busy={props.message.streaming ?? false}>
      <Show when={props.message.text}>
        <Markdown text={props.message.text} class={props.message.streaming ? 'streaming' : ''} />
      </Show>
      <For each={props.message.toolCalls}>
        {(card) => <ToolCallCardView card={card} progress={props.progress[card.toolCallId]} userId={props.userId} />}
      </For>
      <Show when={props.message.stopped}>
        <p class="message-note small-text muted stopped-mark">{t('message.stopped')}</p>
      </Show>
      <div class="message-actions">
        <Show when={props.message.branch}>
          {(branch) => <BranchNavigator branch={branch()} disabled={!idle()} onSwitch={(id) => props.actions?.switchBranch(id)} />}
        </Show>
        <Show when={props.message.text && !props.message.streaming}>
          <CopyMessageButton text={props.message.text} />
        </Show>
        <Show when={props.last && idle()}>
          <Show when={props.message.stopped}>
            <button type="button" class="message-action" onClick={() => void props.actions?.continueAnswer()}>
              {t('message.continue')}
            </button>
          </Show>
          <button type="button" class="message-action" onClick={() => void props.actions?.regenerate(props.message.id)}>
            {t('message.regenerate')}
          </button>
        </Show>
        <Show when={writer()}>
          {(name) => (
            <span class="message-model small-text muted" title={t('message.writtenBy', name(), props.message.model)}>
              {name()}
            </span>
          )}
        </Show>
      </div>
    </div>
  );
}

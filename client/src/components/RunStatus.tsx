/**
 * Below the conversation: "Waiting for a slot" while the run is queued to start, "Thinking…" while
 * it has not written anything yet, or why the last run failed, with Retry.
 */
import { createSignal, Match, Switch } from 'solid-js';
import type { ConversationView } from '../state/conversation-view.ts';
import { Icon } from './Icon.tsx';
import { t } from '../../../shared/i18n/t.ts';

export function RunStatus(props: { view: ConversationView; onRetry: () => Promise<void> }) {
  const [retrying, setRetrying] = createSignal(false);
  const state = () => props.view.runState;
  const waitingForText = () => state().status === 'running' && !props.view.messages.some((m) => m.role === 'assistant' && m.streaming);
  const retry = async () => {
    setRetrying(true);
    await props.onRetry();
    setRetrying(false);
  };
  return (
    <Switch>
      <Match when={state().status === 'queued' && state()} keyed>
        {(queued) => (
          <div class="thinking" role="status">
            {t('run.queued', 'position' in queued ? queued.position : 0)}
          </div>
        )}
      </Match>
      <Match when={waitingForText()}>
        <div class="thinking" role="status">
          <span class="dots" aria-hidden="true">
            <span />
            <span />
            <span />
          </span>
          {t('run.thinking')}
        </div>
      </Match>
      <Match when={state().status === 'failed' && state()} keyed>
        {(failed) => (
          <div class="run-failed" role="alert">
            <Icon name="alert" />
            <div>
              <p class="run-failed-title">{t('run.failed')}</p>
              <p class="small-text">{'reason' in failed ? failed.reason : ''}</p>
            </div>
            <button type="button" class="button" disabled={retrying()} onClick={() => void retry()}>
              <Icon name="refresh" size={16} /> {t('run.retry')}
            </button>
          </div>
        )}
      </Match>
    </Switch>
  );
}

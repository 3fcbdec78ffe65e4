/** Progress a running tool reports (MCP progress notifications); without a total, the bar is indeterminate. */
import { Show } from 'solid-js';
import type { ToolProgress } from '../state/conversation-view.ts';
import { t } from '../../../shared/i18n/t.ts';

export function ToolProgressBar(props: { progress: ToolProgress }) {
  const text = () =>
    props.progress.message ??
    (props.progress.total
      ? t('toolCard.progressOf', props.progress.progress, props.progress.total)
      : t('toolCard.progressSoFar', props.progress.progress));
  return (
    <div class="progress">
      {/* Without a total the bar has no value at all (indeterminate): the property refuses undefined. */}
      <Show when={props.progress.total} fallback={<progress aria-label={t('toolCard.progress')} />}>
        {(total) => <progress value={props.progress.progress} max={total()} aria-label={t('toolCard.progress')} />}
      </Show>
      <span class="small-text muted">{text()}</span>
    </div>
  );
}

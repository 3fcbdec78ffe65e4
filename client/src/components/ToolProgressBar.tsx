/** Progress a running tool reports (MCP progress notifications); without a total, the bar is indeterminate. */
import type { ToolProgress } from '../state/conversation-view.ts';

export function ToolProgressBar(props: { progress: ToolProgress }) {
  const text = () =>
    props.progress.message ??
    (props.progress.total ? `${props.progress.progress} of ${props.progress.total}` : `${props.progress.progress} so far`);
  return (
    <div class="progress">
      <progress
        value={props.progress.total ? props.progress.progress : undefined}
        max={props.progress.total ?? 1}
        aria-label="Tool progress"
      />
      <span class="small-text muted">{text()}</span>
    </div>
  );
}

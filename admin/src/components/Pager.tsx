/** "21–40 of 130" with Previous and Next, for the paged lists. */
import { Show } from 'solid-js';

export function Pager(props: { offset: number; limit: number; total: number; label: string; onChange: (offset: number) => void }) {
  const first = () => (props.total === 0 ? 0 : props.offset + 1);
  const last = () => Math.min(props.offset + props.limit, props.total);
  return (
    <nav class="pager" aria-label={`${props.label} pages`}>
      <span aria-live="polite">
        <Show when={props.total > 0} fallback="Nothing to show">
          {first()}–{last()} of {props.total}
        </Show>
      </span>
      <button
        class="button"
        type="button"
        disabled={props.offset === 0}
        onClick={() => props.onChange(Math.max(0, props.offset - props.limit))}
      >
        Previous
      </button>
      <button class="button" type="button" disabled={last() >= props.total} onClick={() => props.onChange(props.offset + props.limit)}>
        Next
      </button>
    </nav>
  );
}

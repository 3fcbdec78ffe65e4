/** "21–40 of 130" with Previous and Next, for the paged lists. */
import { Show } from 'solid-js';
import { t } from '../../../shared/i18n/t.ts';

export function Pager(props: { offset: number; limit: number; total: number; label: string; onChange: (offset: number) => void }) {
  const first = () => (props.total === 0 ? 0 : props.offset + 1);
  const last = () => Math.min(props.offset + props.limit, props.total);
  return (
    <nav class="pager" aria-label={t('console.pager.label', props.label)}>
      <span aria-live="polite">
        <Show when={props.total > 0} fallback={t('console.pager.nothing')}>
          {t('console.pager.range', first(), last(), props.total)}
        </Show>
      </span>
      <button
        class="button"
        type="button"
        disabled={props.offset === 0}
        onClick={() => props.onChange(Math.max(0, props.offset - props.limit))}
      >
        {t('console.pager.previous')}
      </button>
      <button class="button" type="button" disabled={last() >= props.total} onClick={() => props.onChange(props.offset + props.limit)}>
        {t('console.pager.next')}
      </button>
    </nav>
  );
}

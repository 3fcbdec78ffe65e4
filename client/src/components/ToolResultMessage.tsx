/** A tool result with no card to show it in (a call from before cards existed): shown on its own, as text. */
import { t } from '../../../shared/i18n/t.ts';

export function ToolResultMessage(props: { text: string; isError: boolean }) {
  return (
    <details class="tool-card" classList={{ 'status-failed': props.isError }}>
      <summary class="tool-card-head">
        <span class="status-dot" aria-hidden="true" />
        <span class="tool-name">{props.isError ? t('toolCard.toolError') : t('toolCard.toolResult')}</span>
      </summary>
      <pre class="result-text">{props.text}</pre>
    </details>
  );
}

/**
 * Copies a whole message as its Markdown source (what the model wrote, or what the person typed),
 * and says "Copied" for a moment in a live region beside the button.
 */
import { createSignal, onCleanup } from 'solid-js';
import { copyText } from '../lib/clipboard.ts';
import { t } from '../../../shared/i18n/t.ts';

export function CopyMessageButton(props: { text: string }) {
  const [said, setSaid] = createSignal('');
  let timer: ReturnType<typeof setTimeout> | undefined;
  onCleanup(() => clearTimeout(timer));
  const copy = async () => {
    setSaid((await copyText(props.text)) ? t('message.copied') : t('message.copyFailed'));
    clearTimeout(timer);
    timer = setTimeout(() => setSaid(''), 2000);
  };
  return (
    <div class="message-actions">
      <button type="button" class="message-action" aria-label={t('message.copyMessage')} onClick={() => void copy()}>
        {t('message.copy')}
      </button>
      <span class="small-text muted" role="status">
        {said()}
      </span>
    </div>
  );
}

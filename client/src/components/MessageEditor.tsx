/**
 * Editing a sent message in place: its text in a textarea, Save & send or Cancel; Escape cancels.
 * Focus starts in the textarea. Whoever shows it closes it: on Cancel, and once `onSave` is accepted.
 */
import { createSignal, onMount } from 'solid-js';
import { t } from '../../../shared/i18n/t.ts';

export function MessageEditor(props: { text: string; onSave: (text: string) => Promise<unknown>; onClose: () => void }) {
  const [text, setText] = createSignal(props.text);
  const [saving, setSaving] = createSignal(false);
  let area!: HTMLTextAreaElement;
  onMount(() => area.focus());
  const save = async () => {
    if (!text().trim()) return;
    setSaving(true);
    await props.onSave(text());
    setSaving(false);
  };
  return (
    <form
      class="message-editor"
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
      onKeyDown={(event) => {
        if (event.key === 'Escape') props.onClose();
      }}
    >
      <textarea
        ref={area}
        aria-label={t('message.editLabel')}
        value={text()}
        onInput={(event) => setText(event.currentTarget.value)}
        rows={3}
      />
      <div class="message-editor-actions">
        <button type="button" class="button" onClick={() => props.onClose()}>
          {t('common.cancel')}
        </button>
        <button type="submit" class="button primary" disabled={saving() || !text().trim()}>
          {t('message.saveAndSend')}
        </button>
      </div>
    </form>
  );
}

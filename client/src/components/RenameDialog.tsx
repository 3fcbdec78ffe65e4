/** Renames a chat: the current title selected, Enter saves, Escape cancels. */
import { createSignal, onMount } from 'solid-js';
import { LIMITS } from '../../../shared/limits.ts';
import { FormDialog } from './FormDialog.tsx';
import { t } from '../../../shared/i18n/t.ts';

export function RenameDialog(props: { title: string; onSave: (title: string) => Promise<void>; onClose: () => void }) {
  const [title, setTitle] = createSignal(props.title);
  let input!: HTMLInputElement;
  onMount(() => input.select());
  const save = async () => {
    const next = title().trim();
    if (!next) throw new Error(t('rename.empty'));
    await props.onSave(next);
  };
  return (
    <FormDialog title={t('rename.title')} onSave={save} onClose={props.onClose}>
      <label class="field">
        <span class="field-label">{t('rename.field')}</span>
        <input ref={input} class="input" value={title()} maxLength={LIMITS.title} onInput={(e) => setTitle(e.currentTarget.value)} />
      </label>
    </FormDialog>
  );
}

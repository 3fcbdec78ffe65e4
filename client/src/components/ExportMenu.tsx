/**
 * The chat header's Export button: a small menu of the two formats, each downloading the chat
 * (`chats.export`) as `<title>.md` or `<title>.json`. A failure is said in the menu, which stays open.
 */
import { createSignal, createUniqueId, For, Show } from 'solid-js';
import type { ChatExportFormat } from '../../../shared/chat-export.ts';
import { api } from '../api/client.ts';
import { errorMessage } from '../api/errors.ts';
import { downloadText } from '../lib/download.ts';
import { t } from '../../../shared/i18n/t.ts';

const FORMATS: { format: ChatExportFormat; label: string }[] = [
  { format: 'markdown', label: 'Markdown (.md)' },
  { format: 'json', label: 'JSON (.json)' },
];

export function ExportMenu(props: { chatId: string }) {
  const menuId = createUniqueId();
  const [open, setOpen] = createSignal(false);
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string>();
  let toggle!: HTMLButtonElement;
  const close = (refocus: boolean) => {
    setOpen(false);
    setError(undefined);
    if (refocus) toggle.focus();
  };
  const save = async (format: ChatExportFormat) => {
    setBusy(true);
    setError(undefined);
    try {
      const file = await api.chats.export.query({ chatId: props.chatId, format });
      downloadText(file.fileName, file.mediaType, file.content);
      close(true);
    } catch (cause) {
      setError(t('exportMenu.failed', errorMessage(cause)));
    } finally {
      setBusy(false);
    }
  };

  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: it only hears Escape and focus leaving, from the buttons inside it; it does nothing itself.
    <div
      class="export-menu"
      onKeyDown={(event) => event.key === 'Escape' && open() && close(true)}
      // Tabbing or clicking away closes it, as a menu does.
      onFocusOut={(event) => !event.currentTarget.contains(event.relatedTarget as Node | null) && close(false)}
    >
      <button
        ref={toggle}
        type="button"
        class="button"
        aria-expanded={open()}
        aria-controls={menuId}
        onClick={() => (open() ? close(false) : setOpen(true))}
      >
        {t('exportMenu.button')}
      </button>
      <fieldset id={menuId} class="export-options" hidden={!open()}>
        <legend class="visually-hidden">{t('exportMenu.legend')}</legend>
        <For each={FORMATS}>
          {(option) => (
            <button type="button" class="button small" disabled={busy()} onClick={() => void save(option.format)}>
              {option.label}
            </button>
          )}
        </For>
        <Show when={error()}>
          {(message) => (
            <p class="form-error" role="alert">
              {message()}
            </p>
          )}
        </Show>
      </fieldset>
    </div>
  );
}

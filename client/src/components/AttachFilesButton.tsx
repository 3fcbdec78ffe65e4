/** The paperclip beside the message box: opens the file picker, offering the types that can be attached. */
import { t } from '../../../shared/i18n/t.ts';
import { ACCEPTED_FILES } from '../lib/file-checks.ts';
import { Icon } from './Icon.tsx';

export function AttachFilesButton(props: { onFiles: (files: File[]) => void; disabled?: boolean }) {
  let input!: HTMLInputElement;
  return (
    <>
      <button
        type="button"
        class="icon-button attach-button"
        aria-label={t('files.attach')}
        title={t('files.attach')}
        disabled={props.disabled}
        onClick={() => input.click()}
      >
        <Icon name="paperclip" />
      </button>
      <input
        ref={input}
        type="file"
        class="visually-hidden"
        tabIndex={-1}
        aria-hidden="true"
        multiple
        accept={ACCEPTED_FILES}
        onChange={(e) => {
          props.onFiles([...(e.currentTarget.files ?? [])]);
          // The same file can be picked again after its chip was removed.
          e.currentTarget.value = '';
        }}
      />
    </>
  );
}

/**
 * The files attached in the composer, above the box: each a chip with its thumbnail or kind, its
 * name and size, a spinner while it uploads, a button that removes it, and why it is not sent when
 * it is refused (read out as it appears).
 */
import { For, Show } from 'solid-js';
import { fileUrl } from '../../../shared/files.ts';
import { t } from '../../../shared/i18n/t.ts';
import { formatFileSize } from '../lib/file-size.ts';
import type { ComposerFiles as Files, FileChip } from '../state/composer-files.ts';
import { FileKindIcon } from './FileKindIcon.tsx';
import { Icon } from './Icon.tsx';

export function ComposerFiles(props: { files: Files }) {
  return (
    <Show when={props.files.chips.length > 0}>
      <ul class="file-chips" aria-label={t('files.label')}>
        <For each={props.files.chips}>{(chip) => <Chip chip={chip} files={props.files} />}</For>
      </ul>
    </Show>
  );
}

function Chip(props: { chip: FileChip; files: Files }) {
  const refusal = () => props.files.refusalOf(props.chip);
  // Made in the browser when picked; one uploaded before (a first message given back) comes from its address.
  const thumbnail = () =>
    props.chip.preview ?? (props.chip.kind === 'image' && props.chip.uploaded ? fileUrl(props.chip.uploaded.id) : undefined);
  return (
    <li class="file-chip" classList={{ refused: refusal() !== null }} aria-busy={props.chip.status === 'uploading'}>
      <div class="file-chip-main">
        <Show when={thumbnail()} fallback={<FileKindIcon kind={props.chip.kind} />}>
          {(preview) => <img class="file-thumbnail" src={preview()} alt="" />}
        </Show>
        <span class="file-chip-text">
          <span class="file-chip-name">{props.chip.name}</span>
          <span class="file-chip-detail">{props.chip.status === 'uploading' ? t('files.uploading') : formatFileSize(props.chip.size)}</span>
        </span>
        <Show when={props.chip.status === 'uploading'}>
          <span class="file-spinner" aria-hidden="true" />
        </Show>
        <button
          type="button"
          class="icon-button small"
          aria-label={t('files.remove', props.chip.name)}
          onClick={() => props.files.remove(props.chip.key)}
        >
          <Icon name="close" size={14} />
        </button>
      </div>
      <Show when={refusal()}>
        <p class="file-chip-refusal" role="alert">
          {refusal()}
        </p>
      </Show>
    </li>
  );
}

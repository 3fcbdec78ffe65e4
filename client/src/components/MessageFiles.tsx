/**
 * The files a sent message carried, under it: images as thumbnails that open the full image in a
 * new tab, other files as chips that download them. Both come from the file's own address, served
 * to the chat's owner only.
 */
import { For, Show } from 'solid-js';
import { type FileDto, fileUrl } from '../../../shared/files.ts';
import { t } from '../../../shared/i18n/t.ts';
import { formatFileSize } from '../lib/file-size.ts';
import { FileKindIcon } from './FileKindIcon.tsx';

export function MessageFiles(props: { files: FileDto[] }) {
  return (
    <Show when={props.files.length > 0}>
      <ul class="message-files" aria-label={t('files.sent')}>
        <For each={props.files}>
          {(file) => (
            <li>
              <Show
                when={file.kind === 'image'}
                fallback={
                  <a class="file-chip file-chip-main" href={fileUrl(file.id)} download={file.name} title={t('files.download', file.name)}>
                    <FileKindIcon kind={file.kind} />
                    <span class="file-chip-text">
                      <span class="file-chip-name">{file.name}</span>
                      <span class="file-chip-detail">{formatFileSize(file.size)}</span>
                    </span>
                  </a>
                }
              >
                <a class="message-image" href={fileUrl(file.id)} target="_blank" rel="noopener" title={t('files.open', file.name)}>
                  <img src={fileUrl(file.id)} alt={file.name} loading="lazy" />
                </a>
              </Show>
            </li>
          )}
        </For>
      </ul>
    </Show>
  );
}

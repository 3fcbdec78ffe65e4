/** A file's kind as a small tile: an image, a text file, a PDF, or a file that cannot be attached. */
import { Show } from 'solid-js';
import type { FileKind } from '../../../shared/files.ts';
import { t } from '../../../shared/i18n/t.ts';
import { Icon } from './Icon.tsx';

export function FileKindIcon(props: { kind: FileKind | null }) {
  return (
    <span class="file-kind" classList={{ pdf: props.kind === 'pdf' }}>
      <Icon name={props.kind === 'image' ? 'image' : 'file'} />
      <Show when={props.kind}>{(kind) => <span class="visually-hidden">{t(`files.${kind()}`)}</span>}</Show>
    </span>
  );
}

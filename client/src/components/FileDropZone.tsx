/**
 * Files dragged over the area around it (its parent element) can be dropped anywhere there: while
 * they are dragged, a drop zone covers the area and says so. Files dropped elsewhere on the page are
 * turned away instead of the browser opening them in place of the chat.
 */
import { createSignal, onCleanup, onMount } from 'solid-js';
import { t } from '../../../shared/i18n/t.ts';
import { Icon } from './Icon.tsx';

const carriesFiles = (event: DragEvent) => event.dataTransfer?.types.includes('Files') ?? false;

export function FileDropZone(props: { onFiles: (files: File[]) => void }) {
  const [dragging, setDragging] = createSignal(false);
  let zone!: HTMLDivElement;

  onMount(() => {
    const area = zone.parentElement!;
    const over = (event: DragEvent) => {
      if (!carriesFiles(event)) return;
      event.preventDefault();
      const inside = area.contains(event.target as Node);
      event.dataTransfer!.dropEffect = inside ? 'copy' : 'none';
      setDragging(inside);
    };
    const leave = (event: DragEvent) => {
      if (!area.contains(event.relatedTarget as Node | null)) setDragging(false);
    };
    const drop = (event: DragEvent) => {
      if (!carriesFiles(event)) return;
      event.preventDefault();
      setDragging(false);
      if (area.contains(event.target as Node)) props.onFiles([...event.dataTransfer!.files]);
    };
    const listeners = [
      ['dragenter', over],
      ['dragover', over],
      ['dragleave', leave],
      ['drop', drop],
    ] as const;
    for (const [name, listener] of listeners) window.addEventListener(name, listener);
    onCleanup(() => {
      for (const [name, listener] of listeners) window.removeEventListener(name, listener);
    });
  });

  return (
    <div ref={zone} class="file-drop-zone" classList={{ shown: dragging() }} aria-hidden="true">
      <p>
        <Icon name="paperclip" size={28} />
        {t('files.dropHere')}
      </p>
    </div>
  );
}

/**
 * The files attached in a composer, each a chip: checked when added (type, size, count, what the
 * model reads), uploaded into the chat at once (`files.upload`), or held in the browser until the
 * chat exists (the new-chat view), and given to the message by id when it is sent. A chip the
 * person removes after its upload is removed on the server too; a refused one stays, saying why,
 * until it is removed or the message is sent.
 */
import { createSignal, onCleanup } from 'solid-js';
import { createStore, produce } from 'solid-js/store';
import type { FileDto, FileKind, FileLimits } from '../../../shared/files.ts';
import type { ModelDto } from '../../../shared/models.ts';
import { api } from '../api/client.ts';
import { errorMessage, goToSignIn, isSignedOut } from '../api/errors.ts';
import { imageRefusal, kindOf, refusalOf } from '../lib/file-checks.ts';
import { imageThumbnail } from '../lib/image-thumbnail.ts';

export interface FileChip {
  key: number;
  name: string;
  size: number;
  kind: FileKind | null;
  /** held: waits for its chat to exist; refused: never uploaded, or the server refused it. */
  status: 'held' | 'uploading' | 'uploaded' | 'refused';
  /** An image's thumbnail, made in the browser (a small data: URL). */
  preview?: string;
  /** Why it is not sent. */
  refusal?: string;
  /** What the upload returned. */
  uploaded?: FileDto;
}

export interface ComposerFiles {
  chips: FileChip[];
  add: (files: File[]) => void;
  /** Takes pasted files into the chips (the pasted text, if any, is left out with them); plain text pastes as usual. */
  paste: (event: ClipboardEvent) => void;
  remove: (key: number) => void;
  /** Why a chip is not sent: its own refusal, or the chat's model cannot read it. */
  refusalOf: (chip: FileChip) => string | null;
  /** Whether a file would go with the message (held, uploading or uploaded): then the message may have no text. */
  carriesFiles: () => boolean;
  /** Send waits: an upload runs, or an image the model cannot read is attached (its chip says to choose another model or remove it). */
  holdsSend: () => boolean;
  /** Uploads the held files into the chat now created; true when none was refused. */
  uploadHeld: (chatId: string) => Promise<boolean>;
  /** The uploaded files, for the message (Send waits while one of them cannot go). */
  ready: () => FileDto[];
  /** Files already uploaded (a first message that was not sent after all) become chips again. */
  adopt: (files: FileDto[]) => void;
  /** The chips there now: those a message sent now carries, or leaves behind refused. */
  keys: () => number[];
  /** After a send: its chips (`keys` when it began) go, their files staying with the message; chips added meanwhile stay. */
  clear: (keys: readonly number[]) => void;
}

const [limits, setLimits] = createSignal<FileLimits>();
let limitsAsked = false;

function loadLimits(): void {
  if (limitsAsked) return;
  limitsAsked = true;
  api.files.limits
    .query()
    .then(setLimits)
    // Without them only the type and emptiness are checked here; the server checks sizes and counts anyway.
    .catch(() => (limitsAsked = false));
}

/** Call inside a component: pending uploads stop with it. */
export function createComposerFiles(options: { chatId?: string; model: () => ModelDto | undefined }): ComposerFiles {
  const [chips, setChips] = createStore<FileChip[]>([]);
  const held = new Map<number, File>();
  const uploads = new Map<number, AbortController>();
  let chatId = options.chatId;
  let nextKey = 0;
  loadLimits();

  const patch = (key: number, change: Partial<FileChip>) => setChips((chip) => chip.key === key, change);
  const exists = (key: number) => chips.some((chip) => chip.key === key);
  const letGo = (chip: FileChip) => {
    uploads.get(chip.key)?.abort();
    uploads.delete(chip.key);
    held.delete(chip.key);
  };

  async function upload(key: number, file: File, chat: string): Promise<boolean> {
    const form = new FormData();
    form.set('chatId', chat);
    form.set('file', file);
    const controller = new AbortController();
    uploads.set(key, controller);
    patch(key, { status: 'uploading' });
    try {
      const dto = await api.files.upload.mutate(form, { signal: controller.signal });
      if (!exists(key)) {
        removeOnServer(dto.id);
        return true;
      }
      patch(key, { status: 'uploaded', uploaded: dto });
      return true;
    } catch (cause) {
      if (!exists(key)) return true;
      if (isSignedOut(cause)) goToSignIn();
      patch(key, { status: 'refused', refusal: errorMessage(cause) });
      return false;
    } finally {
      uploads.delete(key);
      held.delete(key);
    }
  }

  function add(files: File[]): void {
    for (const file of files) {
      const attached = chips.filter((chip) => chip.status !== 'refused');
      const refusal = refusalOf(file, attached, limits());
      const key = nextKey++;
      const kind = kindOf(file);
      setChips(chips.length, {
        key,
        name: file.name,
        size: file.size,
        kind,
        status: refusal ? 'refused' : 'held',
        refusal: refusal ?? undefined,
      });
      if (refusal) continue;
      if (kind === 'image') void imageThumbnail(file).then((preview) => exists(key) && patch(key, { preview }));
      held.set(key, file);
      if (chatId) void upload(key, file, chatId);
    }
  }

  onCleanup(() => chips.forEach(letGo));

  return {
    chips,
    add,
    paste(event) {
      const files = [...(event.clipboardData?.files ?? [])];
      if (files.length === 0) return;
      event.preventDefault();
      add(files);
    },
    remove(key) {
      const chip = chips.find((c) => c.key === key);
      if (!chip) return;
      letGo(chip);
      if (chip.uploaded) removeOnServer(chip.uploaded.id);
      setChips((now) => now.filter((c) => c.key !== key));
    },
    refusalOf: (chip) => chip.refusal ?? imageRefusal(chip, options.model()),
    carriesFiles: () => chips.some((chip) => chip.status !== 'refused'),
    holdsSend: () =>
      chips.some((chip) => chip.status === 'uploading' || (chip.status !== 'refused' && imageRefusal(chip, options.model()))),
    async uploadHeld(chat) {
      chatId = chat;
      const waiting = [...held].filter(([key]) => !uploads.has(key));
      const results = await Promise.all(waiting.map(([key, file]) => upload(key, file, chat)));
      return results.every(Boolean);
    },
    ready: () => chips.flatMap((chip) => (chip.uploaded ? [chip.uploaded] : [])),
    adopt(files) {
      setChips(
        produce((now) => {
          for (const file of files)
            now.push({ key: nextKey++, name: file.name, size: file.size, kind: file.kind, status: 'uploaded', uploaded: file });
        }),
      );
    },
    keys: () => chips.map((chip) => chip.key),
    clear(keys) {
      const sent = new Set(keys);
      for (const chip of chips) if (sent.has(chip.key)) letGo(chip);
      setChips((now) => now.filter((chip) => !sent.has(chip.key)));
    },
  };
}

/** A file the person no longer wants; should this fail, the server sweeps unsent uploads after a day. */
function removeOnServer(fileId: string): void {
  void api.files.remove.mutate({ fileId }).catch(() => undefined);
}

/**
 * What the composer checks of a file before uploading it, with the sentences the server gives when
 * it refuses one: the person sees why at once, and the server checks everything again.
 */
import { extensionOf, type FileKind, type FileLimits, IMAGE_TYPES, TEXT_EXTENSIONS } from '../../../shared/files.ts';
import { t } from '../../../shared/i18n/t.ts';
import type { ModelDto } from '../../../shared/models.ts';
import { formatFileSize } from './file-size.ts';

/** How the model would be given the file, or null when it cannot be attached (the server decides images by their bytes). */
export function kindOf(file: { name: string; type: string }): FileKind | null {
  const type = file.type.toLowerCase();
  const extension = extensionOf(file.name);
  if ((IMAGE_TYPES as readonly string[]).includes(type)) return 'image';
  if (type === 'application/pdf' || extension === 'pdf') return 'pdf';
  if (type.startsWith('text/') || (TEXT_EXTENSIONS as readonly string[]).includes(extension)) return 'text';
  return null;
}

/** What the picker offers: the same types `kindOf` takes. */
export const ACCEPTED_FILES = [...IMAGE_TYPES, 'application/pdf', '.pdf', 'text/*', ...TEXT_EXTENSIONS.map((e) => `.${e}`)].join(',');

/**
 * Why `file` cannot join the message's other files (`attached`, not refused), or null when it may.
 * Without the limits (not loaded yet) only its type and emptiness are checked.
 */
export function refusalOf(
  file: { name: string; type: string; size: number },
  attached: { size: number }[],
  limits?: FileLimits,
): string | null {
  if (!kindOf(file)) return t('files.notAllowed', file.name, extensionOf(file.name));
  if (file.size === 0) return t('files.empty', file.name);
  if (!limits) return null;
  if (file.size > limits.maxFileBytes) return t('files.tooBig', file.name, formatFileSize(file.size), formatFileSize(limits.maxFileBytes));
  if (attached.length >= limits.maxFilesPerMessage) return t('files.tooMany', file.name, limits.maxFilesPerMessage);
  const total = attached.reduce((sum, other) => sum + other.size, file.size);
  if (total > limits.maxMessageBytes)
    return t('files.messageTooBig', file.name, formatFileSize(total), formatFileSize(limits.maxMessageBytes));
  return null;
}

/** Why an image cannot go to the chat's model, or null (not an image, the model reads images, or the model is not known yet). */
export function imageRefusal(file: { name: string; kind: FileKind | null }, model: ModelDto | undefined): string | null {
  return file.kind === 'image' && model && !model.acceptsImages ? t('files.cannotReadImages', model.name, file.name) : null;
}

/**
 * Files people attach to their messages: uploaded to one of their chats before the message is
 * sent, checked against the deployment's limits (FileLimits) and what they are (file-kinds.ts),
 * then carried by the message that names them. Every refusal is a sentence naming the file.
 */
import type { FileDto, FileLimits } from '../../shared/files.ts';
import { size, textWithin, utf8Bytes } from '../agent/tool-media.ts';
import { chatNotFound, DomainError } from '../domain-error.ts';
import { classify, decodeText } from './file-kinds.ts';
import type { FileMeta, FileStore } from './file-store.ts';
import { uploadedFileName } from './file-name.ts';
import { PdfText } from './pdf-text.ts';

/** The text of one file the model is given at most; the rest is left out, with a line saying so. */
const MAX_TEXT_BYTES = 100 * 1024;
/** Uploads no message took are removed after this long. */
const UNSENT_KEPT_MS = 24 * 60 * 60 * 1000;
/** How often an instance removes them: each sweep is a write across everyone's files, which an hour's lateness does not matter to. */
const SWEEP_EVERY_MS = 60 * 60 * 1000;

/** The chat a file goes with, and the model it answers with now (none when no model is available). */
export interface FileChats {
  /** The person's chat (not deleted), or undefined. */
  owned(userId: string, chatId: string): Promise<{ id: string } | undefined>;
  modelOf(userId: string, chat: { modelId: string | null }): Promise<{ name: string; acceptsImages: boolean } | undefined>;
}

export class FileService {
  #sweptAt = 0;

  constructor(
    private readonly store: FileStore,
    private readonly chats: FileChats,
    readonly limits: FileLimits,
    private readonly pdf = new PdfText(),
  ) {}

  async upload(userId: string, chatId: string, file: File): Promise<FileDto> {
    const chat = await this.chats.owned(userId, chatId);
    if (!chat) throw chatNotFound();
    const name = uploadedFileName(file.name);
    if (file.size > this.limits.maxFileBytes)
      throw new DomainError('invalid', `${name} is ${size(file.size)}; a file may be at most ${size(this.limits.maxFileBytes)}.`);
    if (file.size === 0) throw new DomainError('invalid', `${name} is empty; there is nothing in it to attach.`);
    // A view of the upload's bytes, kept as they are: no copy of up to FILE_MAX_BYTES.
    const bytes = Buffer.from(await file.arrayBuffer());
    const { kind, mediaType } = classify(name, file.type, bytes);
    const text =
      kind === 'image' ? null : forModel(name, kind === 'pdf' ? await this.pdf.of(name, bytes, MAX_TEXT_BYTES) : decodeText(bytes));
    // Unsent uploads of everyone go once a day has passed; an upload is a fine moment to look, now and then.
    if (Date.now() - this.#sweptAt >= SWEEP_EVERY_MS) {
      this.#sweptAt = Date.now();
      await this.store.sweepUnsent(new Date(this.#sweptAt - UNSENT_KEPT_MS));
    }
    return dto(await this.store.add({ chatId: chat.id, userId, name, mediaType, kind, size: bytes.byteLength, data: bytes, text }));
  }

  /** Removes a file not sent yet; one a message carries stays with it. */
  async remove(userId: string, fileId: string): Promise<{ id: string; removed: true }> {
    if (await this.store.removeUnsent(userId, fileId)) return { id: fileId, removed: true };
    const [file] = await this.store.ofPerson(userId, [fileId]);
    if (!file) throw notFound();
    throw new DomainError('conflict', `${file.name} was sent with a message and stays with it; delete the chat to remove it.`);
  }

  /**
   * The files a message to the chat may carry, in the order named, or a refusal that says which
   * file and why: not one of the chat's unsent uploads, too many or too large together, or an
   * image the chat's model cannot read.
   */
  async forSend(userId: string, chat: { id: string; modelId: string | null }, ids: readonly string[]): Promise<FileDto[]> {
    const unique = [...new Set(ids)];
    const { maxFilesPerMessage, maxMessageBytes } = this.limits;
    if (unique.length > maxFilesPerMessage)
      throw new DomainError('invalid', `This message has ${unique.length} files; a message may carry at most ${maxFilesPerMessage}.`);
    const found = new Map((await this.store.ofPerson(userId, unique)).map((file) => [file.id, file]));
    const files = unique.map((id) => found.get(id));
    const missing = files.findIndex((file) => file?.chatId !== chat.id);
    if (missing >= 0) throw new DomainError('not_found', `File ${unique[missing]} is not one of this chat's uploads; upload it again.`);
    const chosen = files as FileMeta[];
    const sent = chosen.find((file) => file.messageId !== null);
    if (sent) throw new DomainError('conflict', `${sent.name} was already sent with a message; upload it again to send it once more.`);
    const total = chosen.reduce((sum, file) => sum + file.size, 0);
    if (total > maxMessageBytes)
      throw new DomainError('invalid', `These files are ${size(total)} together; one message may carry at most ${size(maxMessageBytes)}.`);
    const image = chosen.find((file) => file.kind === 'image');
    const model = image && (await this.chats.modelOf(userId, chat));
    if (image && model && !model.acceptsImages)
      throw new DomainError('invalid', `${model.name} cannot read images; choose a model that can, or remove ${image.name}.`);
    return chosen.map(dto);
  }

  /** The message carrying the files was sent. */
  bind(chatId: string, ids: readonly string[], messageId: string): Promise<void> {
    return this.store.bind(chatId, ids, messageId);
  }

  /** The chat was deleted. */
  forgetChat(chatId: string): Promise<void> {
    return this.store.forgetChat(chatId);
  }

  served(userId: string, fileId: string) {
    return this.store.served(userId, fileId);
  }
}

/** Said alike of a file that is gone and of another person's, so nothing says a file exists. */
export const NO_SUCH_FILE = 'No such file: it was removed, or it is not yours.';

const notFound = () => new DomainError('not_found', NO_SUCH_FILE);

function dto({ id, name, mediaType, size, kind }: FileMeta): FileDto {
  return { id, name, mediaType, size, kind };
}

/** The file's text within MAX_TEXT_BYTES, with a line saying what was left out. */
function forModel(name: string, text: string): string {
  const bytes = utf8Bytes(text);
  if (bytes <= MAX_TEXT_BYTES) return text;
  return `${textWithin(text, MAX_TEXT_BYTES)}\n(${name} was cut here: it has ${size(bytes)} of text, and a file gives the model at most ${size(MAX_TEXT_BYTES)}.)`;
}

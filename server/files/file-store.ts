/**
 * Attached files in the application database (a blob on SQLite, bytea on PostgreSQL), each owned
 * by one person's chat. Reads that serve a person always name them, and a deleted chat's files are
 * not theirs to read.
 */
import { and, eq, inArray, isNull, lt } from 'drizzle-orm';
import type { AppDatabase } from '../../db/database.ts';
import type { FileDto } from '../../shared/files.ts';
import type { FileReader, ModelFile } from '../agent/file-port.ts';

export type FileRow = AppDatabase['tables']['chatFiles']['$inferSelect'];
export type NewFile = Omit<AppDatabase['tables']['chatFiles']['$inferInsert'], 'id' | 'createdAt'>;
/** A file as the API and the model's request name it, and whether a message carries it yet. */
export type FileMeta = FileDto & { chatId: string; messageId: string | null };

export class FileStore implements FileReader {
  constructor(private readonly db: AppDatabase) {}

  get #meta() {
    const { chatFiles } = this.db.tables;
    return {
      id: chatFiles.id,
      name: chatFiles.name,
      mediaType: chatFiles.mediaType,
      size: chatFiles.size,
      kind: chatFiles.kind,
      chatId: chatFiles.chatId,
      messageId: chatFiles.messageId,
    };
  }

  async add(file: NewFile): Promise<FileMeta> {
    const id = crypto.randomUUID();
    await this.db.drizzle.insert(this.db.tables.chatFiles).values({ ...file, id });
    return { id, name: file.name, mediaType: file.mediaType, size: file.size, kind: file.kind, chatId: file.chatId, messageId: null };
  }

  /** The person's files among `ids`, in their chats that are not deleted. */
  async ofPerson(userId: string, ids: readonly string[]): Promise<FileMeta[]> {
    if (ids.length === 0) return [];
    const { chatFiles, chats } = this.db.tables;
    return this.db.drizzle
      .select(this.#meta)
      .from(chatFiles)
      .innerJoin(chats, eq(chats.id, chatFiles.chatId))
      .where(and(inArray(chatFiles.id, [...ids]), eq(chatFiles.userId, userId), eq(chats.ownerId, userId), isNull(chats.deletedAt)));
  }

  /** The file with its bytes, for its owner only. */
  async served(userId: string, id: string): Promise<Pick<FileRow, 'name' | 'mediaType' | 'kind' | 'data'> | undefined> {
    const { chatFiles, chats } = this.db.tables;
    const [row] = await this.db.drizzle
      .select({ name: chatFiles.name, mediaType: chatFiles.mediaType, kind: chatFiles.kind, data: chatFiles.data })
      .from(chatFiles)
      .innerJoin(chats, eq(chats.id, chatFiles.chatId))
      .where(and(eq(chatFiles.id, id), eq(chatFiles.userId, userId), eq(chats.ownerId, userId), isNull(chats.deletedAt)));
    return row;
  }

  /** What the model is given of each file: its text, and an image's bytes when `images`. */
  async forModel(ids: readonly string[], images: boolean): Promise<ModelFile[]> {
    if (ids.length === 0) return [];
    const { chatFiles } = this.db.tables;
    const { id, name, mediaType, kind, text } = chatFiles;
    const rows: ModelFile[] = await this.db.drizzle
      .select({ id, name, mediaType, kind, text })
      .from(chatFiles)
      .where(inArray(id, [...ids]));
    const imageIds = images ? rows.filter((row) => row.kind === 'image').map((row) => row.id) : [];
    if (imageIds.length === 0) return rows;
    const bytes = new Map(
      (await this.db.drizzle.select({ id, data: chatFiles.data }).from(chatFiles).where(inArray(id, imageIds))).map((row) => [
        row.id,
        row.data,
      ]),
    );
    return rows.map((row) => ({ ...row, data: bytes.get(row.id) }));
  }

  /** Marks the chat's unsent files among `ids` as carried by the message. */
  async bind(chatId: string, ids: readonly string[], messageId: string): Promise<void> {
    const { chatFiles } = this.db.tables;
    await this.db.drizzle
      .update(chatFiles)
      .set({ messageId })
      .where(and(eq(chatFiles.chatId, chatId), inArray(chatFiles.id, [...ids]), isNull(chatFiles.messageId)));
  }

  /** Removes the person's file if no message carries it; false when none was removed. */
  async removeUnsent(userId: string, id: string): Promise<boolean> {
    const { chatFiles } = this.db.tables;
    const removed = await this.db.drizzle
      .delete(chatFiles)
      .where(and(eq(chatFiles.id, id), eq(chatFiles.userId, userId), isNull(chatFiles.messageId)))
      .returning({ id: chatFiles.id });
    return removed.length > 0;
  }

  /** Uploads no message took, from before `before`. */
  async sweepUnsent(before: Date): Promise<void> {
    const { chatFiles } = this.db.tables;
    await this.db.drizzle.delete(chatFiles).where(and(isNull(chatFiles.messageId), lt(chatFiles.createdAt, before)));
  }

  /** The chat was deleted: its files go with it. */
  async forgetChat(chatId: string): Promise<void> {
    const { chatFiles } = this.db.tables;
    await this.db.drizzle.delete(chatFiles).where(eq(chatFiles.chatId, chatId));
  }
}

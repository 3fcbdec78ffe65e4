/**
 * The approval inbox: the approval each chat waits for, kept on its row (`waitingApproval`) so the
 * person's inbox is one query rather than a read of every chat's checkpoint.
 */
import type { WaitingApproval } from '../../db/schema.ts';
import type { ChatHistory, PendingApproval } from '../../shared/chat-events.ts';
import type { InboxEntry } from '../../shared/chats.ts';
import { LIMITS } from '../../shared/limits.ts';
import type { Logger } from '../log.ts';
import type { ChatRow, ChatStore } from './chat-store.ts';
import type { PersonEventHub } from './person-events.ts';

/**
 * Keeps each chat's row saying which approval it waits for, as runs raise and settle them, and
 * tells the person's stream (`inbox_changed`) every time it changes.
 */
export class ApprovalInbox {
  /** Each chat's last write, so that a clear never overtakes the set before it. */
  readonly #writes = new Map<string, Promise<void>>();

  constructor(
    private readonly chats: ChatStore,
    private readonly people: PersonEventHub,
    private readonly log: Logger,
    /** Given every write, for a graceful shutdown to wait for. */
    private readonly track: (write: Promise<unknown>) => void,
  ) {}

  /** The approvals waiting in the person's chats, newest first. */
  async list(userId: string): Promise<InboxEntry[]> {
    const rows = await this.chats.waitingApprovals(userId, LIMITS.pageSize);
    return rows
      .flatMap((row) => (row.waitingApproval ? [inboxEntryOf(row, row.waitingApproval)] : []))
      .sort((a, b) => b.since.localeCompare(a.since));
  }

  raised(chatId: string, approval: PendingApproval): Promise<void> {
    const waiting = waitingApprovalOf(approval);
    return this.#inOrder(chatId, async () => {
      const row = await this.chats.setWaitingApproval(chatId, waiting);
      if (row) this.people.publish(row.ownerId, { type: 'inbox_changed', chatId, entry: inboxEntryOf(row, waiting) });
    });
  }

  /** The chat waits for no approval (any it did was answered, or its run ended without one). */
  settled(chatId: string): Promise<void> {
    return this.#inOrder(chatId, async () => {
      const row = await this.chats.clearWaitingApproval(chatId);
      if (row) this.people.publish(row.ownerId, { type: 'inbox_changed', chatId, entry: null });
    });
  }

  /**
   * The row is written as the run raises and settles an approval; a crash between the two can
   * leave it saying otherwise than the history. Once no run is going, the history wins.
   */
  async reconcile(chat: ChatRow, history: ChatHistory): Promise<void> {
    const going = history.runState.status === 'queued' || history.runState.status === 'running';
    if (going || rowAgrees(chat, history.pendingApproval)) return;
    await (history.pendingApproval ? this.raised(chat.id, history.pendingApproval) : this.settled(chat.id));
  }

  /** One write after another per chat; a failed one is logged (the next `chats.get` puts the row right). */
  #inOrder(chatId: string, write: () => Promise<void>): Promise<void> {
    const next = (this.#writes.get(chatId) ?? Promise.resolve())
      .then(write)
      .catch((error: unknown) => this.log.warn('keeping the approval inbox failed', { chatId, error }));
    this.#writes.set(chatId, next);
    this.track(next);
    void next.finally(() => {
      if (this.#writes.get(chatId) === next) this.#writes.delete(chatId);
    });
    return next;
  }
}

/** What the row keeps of a pending approval. */
export function waitingApprovalOf(approval: PendingApproval): WaitingApproval {
  return { interruptId: approval.interruptId, since: approval.requestedAt, tools: approval.items.map((item) => item.tool.title) };
}

export function inboxEntryOf(chat: Pick<ChatRow, 'id' | 'title'>, waiting: WaitingApproval): InboxEntry {
  return { chatId: chat.id, chatTitle: chat.title, ...waiting };
}

/** Whether the row says what the history says: the same approval waiting, or none. */
export function rowAgrees(row: ChatRow, pending: PendingApproval | null): boolean {
  return (row.waitingApproval?.interruptId ?? null) === (pending?.interruptId ?? null);
}

/**
 * A chat's branches: an edit or a regenerate forks the conversation at the checkpoint before the
 * message (LangGraph runs from that older checkpoint, and the old branch stays in the thread); the
 * thread's newest checkpoint is the branch shown. Switching to another version makes a new newest
 * checkpoint copying that version's tip (`updateState` with no values: same values, same `next`),
 * so nothing runs again.
 *
 * Which messages have versions, and where each version's branch stood when the person left it, is
 * the tree. It is the thread's, not one branch's (every branch must see every version), so it is
 * kept beside the graph's checkpoints, in the metadata of its own checkpoint namespace of the
 * same thread: one read per history, deleted with the thread, the same on SQLite and PostgreSQL,
 * and no walk of the checkpoint history.
 */
import { HumanMessage, type BaseMessage } from '@langchain/core/messages';
import { type BaseCheckpointSaver, type CheckpointMetadata, emptyCheckpoint } from '@langchain/langgraph-checkpoint';
import type { ChatMessageDto, MessageBranch } from '../../shared/chat-events.ts';
import { DomainError } from '../domain-error.ts';

/** A forked place in the chat: the ids of the person's messages that begin each version, oldest first. */
interface Fork {
  /**
   * message: the person's message was edited, its versions replace each other; answer: the answer
   * to it was regenerated (the message is sent again, as a copy with a new id, from the same place).
   */
  kind: 'message' | 'answer';
  versions: string[];
}

export interface BranchTree {
  forks: Fork[];
  /**
   * The checkpoint each version's branch stood at when the person left it (the shown one's is the
   * newest), by `tipKey`: a message's versions and its answer's are left apart.
   */
  tips: Record<string, string>;
}

const TREE_NS = 'branches';
const tipKey = (kind: Fork['kind'], id: string) => `${kind}:${id}`;
const FORK_FROM_KEY = 'countersign_fork_from';

export const emptyTree = (): BranchTree => ({ forks: [], tips: {} });

export async function readTree(checkpointer: BaseCheckpointSaver, threadId: string): Promise<BranchTree> {
  const tuple = await checkpointer.getTuple({ configurable: { thread_id: threadId, checkpoint_ns: TREE_NS } });
  return (tuple?.metadata as { tree?: BranchTree } | undefined)?.tree ?? emptyTree();
}

export async function writeTree(checkpointer: BaseCheckpointSaver, threadId: string, tree: BranchTree): Promise<void> {
  const metadata: CheckpointMetadata<{ tree: BranchTree }> = { source: 'update', step: -1, parents: {}, tree };
  await checkpointer.put({ configurable: { thread_id: threadId, checkpoint_ns: TREE_NS } }, emptyCheckpoint(), metadata, {});
}

/** The checkpoint a person's message was sent from: the place its edits and regenerations fork at. */
export function forkPointOf(message: BaseMessage): string | undefined {
  const from = message.additional_kwargs?.[FORK_FROM_KEY];
  return typeof from === 'string' ? from : undefined;
}

/** The person's message `messageId` of the shown branch, where it is, and the checkpoint it was sent from. */
export function forkable(messages: BaseMessage[], messageId: string): { original: HumanMessage; at: number; from: string } {
  const at = messages.findIndex((m) => m.id === messageId && HumanMessage.isInstance(m));
  const original = messages[at];
  if (!original || !HumanMessage.isInstance(original))
    throw new DomainError('not_found', 'There is no such message of yours in this chat.');
  const from = forkPointOf(original);
  // Messages sent before versions existed do not say where they were sent from.
  if (!from) throw new DomainError('invalid', 'This message was sent before messages could be edited; send the new text as a new message.');
  return { original, at, from };
}

/** The message, marked with the checkpoint it is sent from (`additional_kwargs`, which the model never reads). */
export function sentFrom(message: HumanMessage, checkpointId: string): HumanMessage {
  return new HumanMessage({
    ...message,
    id: message.id,
    additional_kwargs: { ...message.additional_kwargs, [FORK_FROM_KEY]: checkpointId },
  });
}

/** A copy of the person's message under a new id, as a regenerate sends it again. */
export function resent(message: HumanMessage): HumanMessage {
  return new HumanMessage({ content: message.content, id: crypto.randomUUID(), additional_kwargs: message.additional_kwargs });
}

function forkOf(tree: BranchTree, kind: Fork['kind'], id: string): Fork | undefined {
  return tree.forks.find((fork) => fork.kind === kind && fork.versions.includes(id));
}

/** A regenerated message stands for the message it copies, the first of its answer fork, in that message's own versions. */
function originalOf(tree: BranchTree, id: string): string {
  return forkOf(tree, 'answer', id)?.versions[0] ?? id;
}

/**
 * Adds `added` as a new version at `shown` (a person's message of the shown branch, left at
 * checkpoint `head`), returning the new tree.
 */
export function withVersion(tree: BranchTree, kind: Fork['kind'], shown: string, added: string, head: string): BranchTree {
  const anchor = kind === 'message' ? originalOf(tree, shown) : shown;
  const fork = forkOf(tree, kind, anchor);
  const forks = fork
    ? tree.forks.map((f) => (f === fork ? { kind, versions: [...f.versions, added] } : f))
    : [...tree.forks, { kind, versions: [anchor, added] }];
  return { forks, tips: { ...tree.tips, [tipKey(kind, anchor)]: head } };
}

/**
 * The move to `target` from the shown branch (whose person's messages are `shownIds`, left at
 * checkpoint `head`): the checkpoint to copy, and the tree after it. Undefined when `target` is no
 * version of a fork the shown branch passes through.
 */
export function switchTo(
  tree: BranchTree,
  shownIds: readonly string[],
  target: string,
  head: string,
): { tip: string; tree: BranchTree } | undefined {
  for (const id of shownIds) {
    for (const [kind, current] of [
      ['message', originalOf(tree, id)],
      ['answer', id],
    ] as const) {
      const fork = forkOf(tree, kind, current);
      const tip = tree.tips[tipKey(kind, target)];
      if (!fork?.versions.includes(target) || target === current || !tip) continue;
      return { tip, tree: { ...tree, tips: { ...tree.tips, [tipKey(kind, current)]: head } } };
    }
  }
  return undefined;
}

/** The DTOs with each forked message's versions: on the person's message for an edit, on the first answer for a regenerate. */
export function withBranches(messages: ChatMessageDto[], tree: BranchTree): ChatMessageDto[] {
  if (tree.forks.length === 0) return messages;
  let answerFork: MessageBranch | undefined;
  return messages.map((message) => {
    if (message.role === 'user') {
      const edited = forkOf(tree, 'message', originalOf(tree, message.id));
      const regenerated = forkOf(tree, 'answer', message.id);
      answerFork = regenerated && branchAt(regenerated, message.id);
      return edited ? { ...message, branch: branchAt(edited, originalOf(tree, message.id)) } : message;
    }
    if (message.role === 'assistant' && answerFork) {
      const branch = answerFork;
      answerFork = undefined;
      return { ...message, branch };
    }
    return message;
  });
}

function branchAt(fork: Fork, shown: string): MessageBranch {
  return { index: fork.versions.indexOf(shown), versions: fork.versions };
}

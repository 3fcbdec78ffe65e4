/**
 * What a chat run tells its watchers, and the chat history as clients see it. Plain data with
 * ISO-string dates: the API layer forwards these as they are, and the web chat and other
 * services import the same types.
 */
import type { ChatDto } from './chats.ts';
import type { PendingQuestion, QuestionOutcome } from './questions.ts';
import type { FileDto } from './files.ts';

/** MCP tool annotations: hints from the server, shown to people, trusted only for trusted servers. */
export interface ToolAnnotations {
  readOnlyHint?: boolean;
  destructiveHint?: boolean;
  idempotentHint?: boolean;
  openWorldHint?: boolean;
}

export interface ToolRef {
  serverId: string | null;
  serverName: string;
  /** The name the model sees (unique across the person's servers). */
  uniqueName: string;
  /** The tool's name on its MCP server. */
  name: string;
  title: string;
}

export type ToolDecision = 'approved' | 'edited' | 'rejected' | 'auto' | 'denied';

/** Who decided: the person, or the policy without asking. */
export type DecidedBy = { kind: 'person'; userId: string } | { kind: 'policy' };

export type ToolCallStatus =
  | 'proposed'
  | 'awaiting_approval'
  | 'running'
  | 'succeeded'
  | 'failed'
  | 'rejected'
  | 'denied'
  /** Never ran: the run stopped before it, or the tool was gone by the time it was approved. */
  | 'not_run'
  /** Decided, and waiting for the person to sign in to its server; it runs once they have. */
  | 'awaiting_sign_in'
  /** Started, and stopped by the person before it finished: its result, if any, is lost. */
  | 'cancelled';

/** One tool call as a card in the chat: what was asked, who decided, what happened. */
export interface ToolCallCard {
  toolCallId: string;
  tool: ToolRef;
  /** The arguments the tool ran with (the edited ones, when edited). */
  arguments: Record<string, unknown>;
  /** The model's original arguments, present only when a person edited them. */
  proposedArguments?: Record<string, unknown>;
  status: ToolCallStatus;
  decision?: ToolDecision;
  decidedBy?: DecidedBy;
  decidedAt?: string;
  /** Why it was asked, auto-run, rejected or denied. */
  reason?: string;
  startedAt?: string;
  finishedAt?: string;
  /** The tool's result as text (or its error message), with a line for each piece of `media` left out and why. */
  result?: string;
  /** What the result held beyond text, for the person to see and hear: checked and bounded (server/agent/tool-media.ts). */
  media?: ToolMedia[];
  /** The tool's structured content, shown as formatted JSON. */
  structured?: unknown;
}

/** The image and audio types a tool card shows, as data: URLs; never SVG, which can carry script and markup. */
export const SHOWN_IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'] as const;
export const SHOWN_AUDIO_TYPES = ['audio/mpeg', 'audio/wav', 'audio/ogg', 'audio/webm'] as const;

/** One piece of a tool's result that is not plain text. */
export type ToolMedia =
  | { kind: 'image'; mimeType: (typeof SHOWN_IMAGE_TYPES)[number] /** base64 */; data: string }
  | { kind: 'audio'; mimeType: (typeof SHOWN_AUDIO_TYPES)[number] /** base64 */; data: string }
  /** An embedded resource (with its text, when it is text), or a link to one (`name`, no text). */
  | { kind: 'resource'; uri: string; name?: string; mimeType?: string; text?: string };

/** One tool call waiting for a person's decision. */
export interface ApprovalItem {
  toolCallId: string;
  tool: ToolRef;
  description: string;
  arguments: Record<string, unknown>;
  annotations: ToolAnnotations;
  /** The tool's input JSON Schema, for an argument editor. */
  inputSchema: Record<string, unknown>;
  /** Why a person is asked, e.g. 'policy: ask', 'destructive tool', 'definition changed'. */
  reason: string;
}

export interface PendingApproval {
  threadId: string;
  /** Names this request; a decision must quote it, so a stale or repeated decision is refused. */
  interruptId: string;
  requestedAt: string;
  items: ApprovalItem[];
  /**
   * Present when the calls were already decided and wait for the person to sign in to these
   * servers: `approve` tries a call again (after signing in), `reject` lets it go unrun.
   */
  signIn?: SignInWait[];
}

/** A server whose calls wait for the person to sign in; `MCP_SIGN_IN_PATH` (shared/servers.ts) starts it. */
export interface SignInWait {
  serverId: string;
  serverName: string;
}

/** A person's decision on one tool call of a pending approval. */
export type ApprovalDecision =
  | { toolCallId: string; action: 'approve' }
  | { toolCallId: string; action: 'edit'; arguments: Record<string, unknown> }
  | { toolCallId: string; action: 'reject'; reason?: string };

/** A person's message that waits with its run: not in the history, and not seen by the model, until the run starts. */
export interface WaitingMessage {
  text: string;
}

export type RunState =
  /**
   * Accepted, waiting for a turn-start slot (the server starts a burst of turns a few at a time);
   * `position` is how many runs will start before it, lowered as the queue moves. `message` is the
   * person's message when the run is a send (absent for a decision or a retry): it enters the
   * history, and its `user_message` event follows, when the run starts; if the run is stopped
   * while it waits, it was never sent.
   */
  | { status: 'queued'; position: number; message?: WaitingMessage }
  | { status: 'running' }
  | { status: 'awaiting_approval'; interruptId: string }
  | { status: 'idle' }
  | { status: 'failed'; reason: string };

/** A resource a person attached to a message (`chats.send`): read when sent, and given to the model with the message. */
export interface AttachmentDto {
  serverId: string;
  uri: string;
  /** What the server calls it, or its URI. */
  name: string;
}

/**
 * A message shown in one of several versions (edited, or its answer regenerated): the ids of
 * every version, oldest first, and which of them is shown. `chats.switchBranch` shows another.
 */
export interface MessageBranch {
  /** Where the shown version is in `versions`, from 0. */
  index: number;
  versions: string[];
}

export type ChatMessageDto =
  /**
   * `text` is what the person typed; the model also read each attachment (resources read through
   * their servers) and each file they uploaded. `branch`: it was edited.
   */
  | { role: 'user'; id: string; text: string; attachments?: AttachmentDto[]; files?: FileDto[]; branch?: MessageBranch }
  /**
   * `branch`: the first answer to a message that was regenerated. `stopped`: the person stopped it
   * while it was written; `text` is what was written until then. `model`: the model that wrote it, as its endpoint names it;
   * `modelId` and `modelName`: the catalogue model that wrote it, named as it was then (absent on answers from before the catalogue).
   */
  | {
      role: 'assistant';
      id: string;
      text: string;
      toolCalls: ToolCallCard[];
      branch?: MessageBranch;
      stopped?: boolean;
      model?: string;
      modelId?: string;
      modelName?: string;
    }
  | { role: 'tool'; id: string; toolCallId: string; text: string; isError: boolean };

export interface ChatHistory {
  threadId: string;
  messages: ChatMessageDto[];
  pendingApproval: PendingApproval | null;
  /** What servers are asking the person during the calls running now, oldest first. */
  pendingQuestions: PendingQuestion[];
  runState: RunState;
}

export type ChatEvent =
  | { type: 'run_state'; threadId: string; at: string; state: RunState }
  /** A person's message, as accepted into the history: every open tab shows it, not only the sender's. */
  | { type: 'user_message'; threadId: string; message: Extract<ChatMessageDto, { role: 'user' }> }
  /** A piece of an assistant message being written; `messageId` matches the complete message that follows. */
  | { type: 'token'; threadId: string; messageId: string; delta: string }
  | { type: 'assistant_message'; threadId: string; message: Extract<ChatMessageDto, { role: 'assistant' }> }
  | { type: 'approval_requested'; threadId: string; approval: PendingApproval }
  | { type: 'tool_started'; threadId: string; toolCallId: string; card: ToolCallCard }
  | { type: 'tool_progress'; threadId: string; toolCallId: string; progress: number; total?: number; message?: string }
  /** A call settled: ran (succeeded or failed), or was rejected, denied or skipped. */
  | { type: 'tool_finished'; threadId: string; toolCallId: string; card: ToolCallCard }
  /** A server asks the person something during a running call (shared/questions.ts). */
  | { type: 'question_asked'; threadId: string; question: PendingQuestion }
  /** A question was answered (in any tab), or withdrawn because its call ended; at `stage: 'result'` a sampling question is asked again. */
  | { type: 'question_settled'; threadId: string; questionId: string; outcome: QuestionOutcome }
  /**
   * The chat shows another branch (an edit or a regenerate forked it, or the person switched
   * versions): these are its messages now, replacing those shown.
   */
  | { type: 'branch_changed'; threadId: string; messages: ChatMessageDto[] }
  /** What the chat list shows changed (a title given after the first answer, a rename, its servers). */
  | { type: 'chat_updated'; threadId: string; chat: ChatDto }
  /** A server of this chat changed its prompts or resources, or went away or came back: the composer lists them again. */
  | { type: 'server_lists_changed'; threadId: string; serverId: string };

/** The API's data as the web chat uses it, all inferred from the router: never written by hand. */
import type { RouterInputs, RouterOutputs } from '../../../shared/client.ts';

export type {
  ApprovalDecision,
  ApprovalItem,
  ChatDto,
  ChatEvent,
  ChatHistory,
  ChatMessageDto,
  PendingApproval,
  RunState,
  SessionUser,
  ToolAnnotations,
  ToolCallCard,
} from '../../../shared/client.ts';

export type SessionInfo = RouterOutputs['session']['initialize'];
export type ServerDto = RouterOutputs['servers']['list'][number];
export type ServerTool = ServerDto['tools'][number];
export type ChatSnapshot = RouterOutputs['chats']['get'];
export type DecideInput = RouterInputs['chats']['decide'];

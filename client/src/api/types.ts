/** The API's data as the web chat uses it: the shared DTO types and what the router's type infers, never written by hand. */
import type { RouterOutputs } from '../../../shared/client.ts';

export type {
  ApprovalDecision,
  ApprovalItem,
  ChatDto,
  ChatEvent,
  ChatHistory,
  ChatMessageDto,
  PendingApproval,
  RunState,
  ToolAnnotations,
  ToolCallCard,
} from '../../../shared/client.ts';

export type SessionInfo = RouterOutputs['session']['initialize'];
export type ServerDto = RouterOutputs['servers']['list'][number];
export type ServerTool = ServerDto['tools'][number];
export type McpAuthorisation = RouterOutputs['servers']['authorisations'][number];

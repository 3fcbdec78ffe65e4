/**
 * What a server may ask of the person while one of their calls runs: elicitation (a form to fill
 * in, or a link to open), in both protocol eras (a 2025 `elicitation/create` request, or a
 * 2026-07-28 `input_required` round trip, which the SDK answers through the same handler). The MCP
 * layer only relays: whoever it is given answers. The capability is declared only then, so a
 * server never asks what nobody would answer.
 */
import type { ElicitRequestFormParams, ElicitRequestURLParams, ElicitResult } from '@modelcontextprotocol/client';

export interface ElicitationRequest {
  userId: string;
  serverId: string;
  serverName: string;
  params: ElicitRequestFormParams | ElicitRequestURLParams;
  /** Aborted when the server or the call gives up on the question. */
  signal: AbortSignal;
}

export interface ServerRequests {
  elicit(request: ElicitationRequest): Promise<ElicitResult>;
}

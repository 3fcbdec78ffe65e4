/**
 * What the built-in server tells every instance over the control channel: a client cancelled one
 * of its calls. Its `notifications/cancelled` is a POST of its own, which a load balancer may hand
 * to an instance that is not running the call; the instance that is stops it.
 */
import { z } from 'zod';
import { controlTopic } from '../cluster/control-channel.ts';

/** Stop the call with this JSON-RPC request id that this user's client made, wherever it runs. */
export const cancelCall = controlTopic(
  'mcp-cancel-call',
  z.object({ userId: z.string(), requestId: z.union([z.string(), z.number().int()]) }),
);

/**
 * permessage-deflate on the tRPC WebSocket, for the clients that offer it (browsers, Bun's
 * WebSocket, Node's undici). Bun compresses a message only when `send` asks for it. The operator
 * chooses between memory and bytes (WEBSOCKET_COMPRESSION), because on Bun 1.4.5 they pull apart
 * (RSS of a server holding 1,000 open sockets, server CPU per frame):
 *
 * - `large-frames` (default): the shared compressor, no memory per socket. It starts every message
 *   afresh, so a token frame (about 250 bytes) would save about 70 bytes for about 15 µs of CPU;
 *   frames from 1 KiB on (a finished message, approvals, a replay after reconnecting, answers to
 *   queries) shrink to about 40% for the same cost. Only those are compressed, from the same size
 *   as the `ws` package's default threshold.
 * - `every-frame`: a dedicated compressor per socket keeps its window across messages, so a token
 *   frame repeats what the last one said and goes out in about 26 bytes, for about 3.5 µs per frame.
 *   Bun's zlib-ng gives each such socket about 140 KiB whatever window is asked for ("3KB"
 *   included), more than everything else a signed-in person costs: worth it where bandwidth is dear.
 * - `off`: nothing negotiated.
 */
import type { WebSocketHandler } from 'bun';
import type { SocketCompressionMode } from '../config.ts';

export interface SocketCompression {
  /** Bun's websocket option. */
  perMessageDeflate: WebSocketHandler<unknown>['perMessageDeflate'];
  /** Whether one outgoing frame is sent compressed (where the client negotiated it). */
  compressFrame: (frame: string) => boolean;
}

/** Characters from which `large-frames` compresses a frame (UTF-16 units: at least as many bytes). */
const SHORTEST_COMPRESSED = 1024;

export function socketCompression(mode: SocketCompressionMode): SocketCompression {
  // Clients send little (calls, a person's message): one shared inflater, no memory per socket.
  switch (mode) {
    case 'large-frames':
      return {
        perMessageDeflate: { compress: 'shared', decompress: 'shared' },
        compressFrame: (frame) => frame.length >= SHORTEST_COMPRESSED,
      };
    case 'every-frame':
      return { perMessageDeflate: { compress: '3KB', decompress: 'shared' }, compressFrame: () => true };
    case 'off':
      return { perMessageDeflate: false, compressFrame: () => false };
  }
}

/**
 * Both ends of an MCP connection inside this process: the client SDK's transport on one side,
 * the server SDK's on the other. Messages cross as JSON text, a microtask later, so each side
 * gets what it would have read off the wire and never an object the other still holds. A request
 * names its caller in `_meta` under CALLER_META_KEY; the server end takes it out and hands it on
 * as `authInfo`, where the /mcp route puts the user a token proves. Only code in this process can
 * write on the link, so the name needs no token.
 */
import type { Transport as ClientTransport, JSONRPCMessage as ClientMessage } from '@modelcontextprotocol/client';
import type { JSONRPCMessage as ServerMessage, Transport as ServerTransport } from '@modelcontextprotocol/server';
import { callerAuth } from '../mcp-server/caller.ts';

export const CALLER_META_KEY = 'countersign.internal/caller';

class LinkEnd {
  onclose?: (() => void) | undefined;
  onerror?: ((error: Error) => void) | undefined;
  peer: LinkEnd | undefined;
  #closed = false;

  constructor(private readonly receive: (text: string) => void) {}

  async start(): Promise<void> {}

  async send(message: unknown): Promise<void> {
    const peer = this.peer;
    if (this.#closed || !peer) throw new Error('the in-process MCP link is closed');
    const text = JSON.stringify(message);
    queueMicrotask(() => {
      if (!peer.#closed) peer.receive(text);
    });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.onclose?.();
    await this.peer?.close();
  }
}

class ClientEnd extends LinkEnd implements ClientTransport {
  onmessage?: ClientTransport['onmessage'];

  constructor() {
    super((text) => this.onmessage?.(JSON.parse(text) as ClientMessage));
  }
}

class ServerEnd extends LinkEnd implements ServerTransport {
  onmessage?: ServerTransport['onmessage'];

  constructor() {
    super((text) => {
      const message = JSON.parse(text) as ServerMessage & { params?: { _meta?: Record<string, unknown> } };
      const meta = message.params?._meta;
      const caller = meta?.[CALLER_META_KEY];
      if (meta) delete meta[CALLER_META_KEY];
      this.onmessage?.(message, typeof caller === 'string' ? { authInfo: callerAuth(caller) } : undefined);
    });
  }
}

export function linkInProcess(): { client: ClientTransport; server: ServerTransport } {
  const client = new ClientEnd();
  const server = new ServerEnd();
  client.peer = server;
  server.peer = client;
  return { client, server };
}

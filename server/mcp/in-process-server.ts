/**
 * The built-in server as this process's own users reach it: one McpServer and one Client joined
 * by the in-process link, shared by everyone, each person's requests made in their name. Over
 * HTTP, every person who connected it held an MCP session, a standing SSE stream, a client and a
 * server instance of their own, 140-170 KiB of heap; here a person costs the few closures of
 * `open`. Outside MCP clients still reach the same tools at /mcp.
 */
import { Client } from '@modelcontextprotocol/client';
import type { McpServer } from '@modelcontextprotocol/server';
import pkg from '../../package.json' with { type: 'json' };
import { CALLER_META_KEY, linkInProcess } from './in-process-link.ts';
import type { ToolClient } from './transports.ts';

/** A request's params with the caller named in `_meta`, where the link's server end takes it out. */
function asCaller<P extends { _meta?: object }>(params: P, userId: string): P {
  return { ...params, _meta: { ...params._meta, [CALLER_META_KEY]: userId } };
}

export class InProcessServer {
  #client: Promise<Client> | undefined;
  #tools: ReturnType<Client['listTools']> | undefined;
  #closed = false;

  constructor(private readonly createServer: () => McpServer) {}

  /** A person's client of the built-in server: the shared one, with the person named on every call. */
  async open(userId: string, timeoutMs: number): Promise<ToolClient> {
    const client = await this.#connected(timeoutMs);
    return {
      getNegotiatedProtocolVersion: () => client.getNegotiatedProtocolVersion(),
      // Its tools are fixed while the process runs (a release changes them, and comes with a
      // restart), and the same for everyone: one listing serves every person.
      listTools: (params, options) => {
        this.#tools ??= client.listTools(params, options).catch((error: unknown) => {
          this.#tools = undefined;
          throw error;
        });
        return this.#tools;
      },
      callTool: (params, options) => client.callTool(asCaller(params, userId), options),
      // Never from the SDK's response cache: it is keyed by URI alone, and this one client reads for everyone.
      readResource: (params, options) => client.readResource(asCaller(params, userId), { ...options, cacheMode: 'bypass' }),
      getServerCapabilities: () => client.getServerCapabilities(),
      // Prompts, resources and completions are the caller's own (their notes): named, and never cached for everyone.
      listPrompts: (params, options) => client.listPrompts(asCaller(params ?? {}, userId), { ...options, cacheMode: 'bypass' }),
      getPrompt: (params, options) => client.getPrompt(asCaller(params, userId), options),
      listResources: (params, options) => client.listResources(asCaller(params ?? {}, userId), { ...options, cacheMode: 'bypass' }),
      listResourceTemplates: (params, options) =>
        client.listResourceTemplates(asCaller(params ?? {}, userId), { ...options, cacheMode: 'bypass' }),
      complete: (params, options) => client.complete(asCaller(params, userId), options),
    };
  }

  async close(): Promise<void> {
    this.#closed = true;
    const client = this.#client;
    this.#client = undefined;
    await (await client?.catch(() => undefined))?.close();
  }

  #connected(timeoutMs: number): Promise<Client> {
    if (this.#closed) return Promise.reject(new Error('the built-in MCP server has stopped'));
    if (!this.#client) {
      const connecting: Promise<Client> = this.#connect(timeoutMs, () => this.#forget(connecting));
      connecting.catch(() => this.#forget(connecting));
      this.#client = connecting;
    }
    return this.#client;
  }

  /** The connection closed under its users, or never opened: the next person to open gets a new one. */
  #forget(connection: Promise<Client>): void {
    if (this.#client !== connection) return;
    this.#client = undefined;
    this.#tools = undefined;
  }

  async #connect(timeoutMs: number, onClosed: () => void): Promise<Client> {
    const link = linkInProcess();
    await this.createServer().connect(link.server);
    // One connection that lasts, so the 2025 kind (initialize, then every request on it); the
    // 2026 era's per-request envelope would only be repeated on every call, and its probe buys
    // nothing with a server that speaks both.
    const client = new Client({ name: 'countersign', version: pkg.version }, { capabilities: {}, versionNegotiation: { mode: 'legacy' } });
    client.onclose = onClosed;
    try {
      await client.connect(link.client, { timeout: timeoutMs });
    } catch (error) {
      await client.close().catch(() => {});
      throw error;
    }
    return client;
  }
}

/**
 * The seed's two handler maps working as one: a person's MCP handler (their connections) and
 * LLM handler (their compiled graph). Whenever the person's tools change, they are handed over
 * and the graph is recompiled. Held tools (definition changed since an admin pinned it) never
 * reach the model; per-chat selection and policy (deny hides a tool) are the agent's to apply.
 */
import type { AgentTool } from '../agent/tool-source.ts';
import type { LLMHandler } from '../agent/handler.ts';
import type { LLMHandlerManager } from '../agent/handler-manager.ts';
import type { Logger } from '../log.ts';
import type { MCPHandlerManager } from '../mcp/handler-manager.ts';
import type { McpTool } from '../mcp/types.ts';

export class UserHandlers {
  constructor(
    private readonly mcp: MCPHandlerManager,
    private readonly llm: LLMHandlerManager,
    private readonly log: Logger,
  ) {
    mcp.toolsChanged.add(({ userId }) => {
      if (llm.peek(userId)) void this.syncTools(userId);
    });
  }

  /**
   * The person's LLM handler, created or revived (after idle eviction or a restart) with their
   * tools in the graph: the seed's `initialize`, and what every run starts from.
   */
  async llmFor(userId: string): Promise<LLMHandler> {
    const fresh = !this.llm.peek(userId);
    const handler = this.llm.get(userId);
    if (fresh) await this.syncTools(userId);
    return handler;
  }

  mcpFor(userId: string) {
    return this.mcp.forUser(userId);
  }

  /** Stops a thread's run, if the person's handler is live (a deleted chat). */
  stopThread(userId: string, threadId: string): void {
    this.llm.peek(userId)?.stop(threadId);
  }

  async syncTools(userId: string): Promise<void> {
    try {
      const { tools } = await this.mcp.forUser(userId).listTools();
      this.llm.peek(userId)?.setTools(tools.filter((tool) => !tool.held).map(toAgentTool));
    } catch (error) {
      this.log.error('syncing tools to the model failed', { userId, error });
    }
  }
}

function toAgentTool(tool: McpTool): AgentTool {
  return {
    uniqueName: tool.uniqueName,
    serverId: tool.serverId,
    serverName: tool.serverName,
    name: tool.name,
    title: tool.title,
    description: tool.description,
    inputSchema: tool.inputSchema,
    annotations: tool.annotations,
  };
}

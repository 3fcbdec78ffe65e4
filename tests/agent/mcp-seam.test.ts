/**
 * The contract between server/mcp/ and the agent, checked by the type checker: the MCP handler
 * manager is usable as the agent's ToolSources as it is, with no adapter in between.
 */
import { expect, test } from 'bun:test';
import type { ToolSources } from '../../server/agent/tool-source.ts';
import type { MCPHandlerManager } from '../../server/mcp/handler-manager.ts';

test('the MCP handler manager fits the agent’s tool seam', () => {
  const asToolSources = (manager: MCPHandlerManager): ToolSources => manager;
  expect(asToolSources).toBeInstanceOf(Function);
});

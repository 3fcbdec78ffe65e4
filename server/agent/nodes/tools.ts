/** `tools`: runs the approved and auto calls, answers every other call with why it did not run, then back to `llm`. */
import type { AgentStateUpdate, AgentStateValue } from '../state.ts';
import type { GraphDeps, NodeConfig } from './runtime.ts';
import { settleBatch } from './settle.ts';

export function toolsNode(deps: GraphDeps) {
  return async function tools(state: AgentStateValue, config: NodeConfig): Promise<AgentStateUpdate> {
    const settled = await settleBatch(deps, state, config);
    return { ...settled, plan: [], decisions: null, proposedAt: null };
  };
}

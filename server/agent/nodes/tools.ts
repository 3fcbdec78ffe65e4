/**
 * `tools`: runs the approved and auto calls, answers every other call with why it did not run, then
 * back to `llm`; calls whose server wants the person to sign in stay planned, for `signIn`.
 */
import type { AgentStateUpdate, AgentStateValue } from '../state.ts';
import type { GraphDeps, NodeConfig } from './runtime.ts';
import { settleBatch } from './settle.ts';

export function toolsNode(deps: GraphDeps) {
  return async function tools(state: AgentStateValue, config: NodeConfig): Promise<AgentStateUpdate> {
    const { messages, rejectedThisTurn, waiting } = await settleBatch(deps, state, config);
    // The decisions stay with the waiting calls: they run as decided (edited arguments too) once the person signs in.
    if (waiting.length > 0) return { messages, rejectedThisTurn, plan: waiting };
    return { messages, rejectedThisTurn, plan: [], decisions: null, proposedAt: null };
  };
}

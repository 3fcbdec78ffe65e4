/**
 * The agent, as the design draws it:
 *
 *   START → llm ─┬─ no tool calls ─────────────────────────────→ END
 *                ├─ a call needs a person → approval ─┬─ something approved → tools → llm
 *                │                                    └─ all rejected ───────→ humane → END
 *                ├─ only auto / unavailable calls ───────────────→ tools → llm
 *                └─ only calls the person already rejected ──────→ humane → END
 *
 *   tools ── a server wants the person to sign in → signIn ─┬─ signed in, try again → tools
 *                                                          └─ let go ─────────────→ llm
 */
import type { BaseCheckpointSaver } from '@langchain/langgraph-checkpoint';
import { END, START, StateGraph } from '@langchain/langgraph';
import { approvalNode } from './nodes/approval.ts';
import { humaneNode } from './nodes/humane.ts';
import { llmNode } from './nodes/llm.ts';
import { signInNode } from './nodes/sign-in.ts';
import type { GraphDeps } from './nodes/runtime.ts';
import { toolsNode } from './nodes/tools.ts';
import { tracedNode } from './traced-node.ts';
import { AgentState, type AgentStateValue } from './state.ts';

export function buildAgentGraph(deps: GraphDeps, checkpointer: BaseCheckpointSaver) {
  return new StateGraph(AgentState)
    .addNode('llm', tracedNode('llm', llmNode(deps)))
    .addNode('approval', tracedNode('approval', approvalNode), { ends: ['tools', 'humane'] })
    .addNode('tools', tracedNode('tools', toolsNode(deps)))
    .addNode('humane', tracedNode('humane', humaneNode(deps)))
    .addNode('signIn', tracedNode('signIn', signInNode(deps)), { ends: ['tools', 'llm'] })
    .addEdge(START, 'llm')
    .addConditionalEdges('llm', routeAfterLlm, ['approval', 'tools', 'humane', END])
    .addConditionalEdges('tools', routeAfterTools, ['signIn', 'llm'])
    .addEdge('humane', END)
    .compile({ checkpointer });
}

export type AgentGraph = ReturnType<typeof buildAgentGraph>;

function routeAfterTools(state: AgentStateValue) {
  return state.plan.some((planned) => planned.awaitingSignIn) ? 'signIn' : 'llm';
}

function routeAfterLlm(state: AgentStateValue) {
  const { plan } = state;
  if (plan.length === 0) return END;
  if (plan.some((planned) => planned.disposition === 'ask')) return 'approval';
  // Re-proposing only what the person rejected ends the turn instead of looping.
  if (plan.every((planned) => planned.disposition === 'repeated')) return 'humane';
  return 'tools';
}

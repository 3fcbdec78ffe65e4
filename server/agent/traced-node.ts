/**
 * A graph node in a span (`agent.node <name>`), a child of its run's span (telemetry/run-span.ts).
 * An interrupt is the node pausing for a person, not failing: LangGraph throws it to pause.
 */
import { isGraphInterrupt } from '@langchain/langgraph';
import { failed, tracer } from '../telemetry/spans.ts';

export function tracedNode<S, C, R>(name: string, node: (state: S, config: C) => R | Promise<R>) {
  return (state: S, config: C): Promise<R> =>
    tracer().startActiveSpan(`agent.node ${name}`, { attributes: { 'countersign.node': name } }, async (span) => {
      try {
        return await node(state, config);
      } catch (error) {
        if (isGraphInterrupt(error)) span.setAttribute('countersign.node.outcome', 'interrupted');
        else failed(span, error);
        throw error;
      } finally {
        span.end();
      }
    });
}

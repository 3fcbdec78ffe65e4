/**
 * Countersign's own metrics, by Prometheus conventions: a `countersign_` prefix, base units,
 * `_total` counters. Labels are small fixed sets (outcomes, kinds, states, limit names, catalogue
 * server names): never a person, a chat or a tool's arguments. Gauges of state kept elsewhere
 * are read when Prometheus scrapes, from `sources`.
 */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** What the scrape-time gauges read. */
export interface MetricSources {
  /** Chats with a run held on this instance, waiting for a start slot or answering. */
  runningAnswers(): number;
  /** Runs waiting for a start slot. */
  queuedTurnStarts(): number;
  /** Chats (of everyone, on every instance) waiting for a person's approval. */
  waitingApprovals(): Promise<number>;
  /** The state of every MCP connection open on this instance. */
  mcpConnectionStates(): readonly string[];
}

/** The states an MCP connection is in (mcp/types.ts ServerState), each reported even at zero. */
const MCP_STATES = ['connected', 'unavailable', 'needs_sign_in'] as const;
export const DECISION_OUTCOMES = ['approved', 'edited', 'rejected'] as const;

export function countersignMetrics(registry: Registry, sources: MetricSources) {
  const registers = [registry];
  const approvalDecisions = new Counter({
    name: 'countersign_approval_decisions_total',
    help: 'Tool calls decided by a person in an approval, by outcome.',
    labelNames: ['outcome'] as const,
    registers,
  });
  for (const outcome of DECISION_OUTCOMES) approvalDecisions.inc({ outcome }, 0);
  return {
    websocketConnections: new Gauge({
      name: 'countersign_websocket_connections',
      help: 'API WebSocket connections open on this instance.',
      registers,
    }),
    answersRunning: new Gauge({
      name: 'countersign_answers_running',
      help: 'Chats with a run on this instance, from its claim (queued or answering) until it lets go.',
      registers,
      collect() {
        this.set(sources.runningAnswers());
      },
    }),
    turnStartsQueued: new Gauge({
      name: 'countersign_turn_starts_queued',
      help: 'Runs waiting on this instance for a slot to start in (TURN_START_CONCURRENCY).',
      registers,
      collect() {
        this.set(sources.queuedTurnStarts());
      },
    }),
    tokensStreamed: new Counter({
      name: 'countersign_tokens_streamed_total',
      help: 'Pieces of answer text streamed from the model to chats, one per piece the model sent.',
      registers,
    }),
    approvalsWaiting: new Gauge({
      name: 'countersign_approvals_waiting',
      help: "Chats waiting for a person's approval, counted in the database (the same on every instance).",
      registers,
      async collect() {
        this.set(await sources.waitingApprovals());
      },
    }),
    approvalDecisions,
    toolCalls: new Counter({
      name: 'countersign_tool_calls_total',
      help: 'Tool calls finished, by catalogue server name and outcome (succeeded, failed, cancelled, rejected, denied, not_run).',
      labelNames: ['server', 'outcome'] as const,
      registers,
    }),
    mcpConnections: new Gauge({
      name: 'countersign_mcp_connections',
      help: "People's MCP server connections open on this instance, by state.",
      labelNames: ['state'] as const,
      registers,
      collect() {
        const states = sources.mcpConnectionStates();
        for (const state of MCP_STATES) this.set({ state }, states.filter((s) => s === state).length);
      },
    }),
    modelErrors: new Counter({
      name: 'countersign_model_errors_total',
      help: 'Runs failed by an error of the model or the graph, by kind.',
      labelNames: ['kind'] as const,
      registers,
    }),
    checkpointWrites: new Histogram({
      name: 'countersign_checkpoint_write_seconds',
      help: 'Time to write to the LangGraph checkpointer, encoding included, by operation (put: a checkpoint, put_writes: a step’s writes).',
      labelNames: ['operation'] as const,
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    }),
    rateLimitRefusals: new Counter({
      name: 'countersign_rate_limit_refusals_total',
      help: "Requests refused by a person's rate limit, by limit.",
      labelNames: ['limit'] as const,
      registers,
    }),
  };
}

export type CountersignMetrics = ReturnType<typeof countersignMetrics>;

/**
 * Hostile text costs the offline demo model milliseconds, not minutes. A server in its own process
 * is sent messages of a million characters aimed at each rule the demo model parses with; it keeps
 * answering /healthz meanwhile and answers every message. Nothing is timed: a rule whose time grew
 * with the square of its input would hold that server's event loop for many minutes (the issue
 * measured 2.8 s for 64,000 characters), and the bounded waits here would run out first.
 */
import { expect, test } from 'bun:test';
import { eventually } from '../support/eventually.ts';
import { HOSTILE_MESSAGES, startHostileDemoProcess } from './fixtures/hostile-demo-messages.ts';

const BOUND_MS = 60_000;

test(
  'while the demo model answers messages of a million characters, the server stays responsive and answers them all',
  async () => {
    await using demo = await startHostileDemoProcess();
    demo.send();

    const health = await fetch(`${demo.url}/healthz`, { signal: AbortSignal.timeout(BOUND_MS) });
    expect(health.status).toBe(200);
    await eventually(() => demo.answered.length === HOSTILE_MESSAGES.length, 'an answer to every hostile message', BOUND_MS);
    expect(demo.answered).toEqual(HOSTILE_MESSAGES);
  },
  3 * BOUND_MS,
);

/**
 * A tool call's time limit: it runs out after a stretch with neither an answer nor progress, and
 * stands still while the person answers what the server asked. Driven by fake timers, so the
 * stretches are exact and nothing waits.
 */
import { afterEach, beforeEach, expect, jest, test } from 'bun:test';
import { CallClock } from '../../server/mcp/call-clock.ts';

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

test('runs out after the limit with no progress; progress gives the full time again', () => {
  const clock = new CallClock(1_000);
  jest.advanceTimersByTime(900);
  clock.progressed();
  jest.advanceTimersByTime(900);
  expect(clock.signal.aborted).toBe(false);
  jest.advanceTimersByTime(100);
  expect(clock.signal.aborted).toBe(true);
  expect(clock.ranOut).toBe(true);
});

test('stands still while the person answers, however long, then gives the full time again', async () => {
  const clock = new CallClock(1_000);
  const answer = Promise.withResolvers<string>();
  jest.advanceTimersByTime(900);
  const answered = clock.whilePersonAnswers(() => answer.promise);
  jest.advanceTimersByTime(60 * 60_000);
  expect(clock.signal.aborted).toBe(false);
  answer.resolve('accepted');
  expect(await answered).toBe('accepted');
  jest.advanceTimersByTime(999);
  expect(clock.signal.aborted).toBe(false);
  jest.advanceTimersByTime(1);
  expect(clock.ranOut).toBe(true);
});

test('the caller giving up aborts the call at once, and that is not running out of time', () => {
  const caller = new AbortController();
  const clock = new CallClock(1_000, caller.signal);
  caller.abort(new Error('stopped by the person'));
  expect(clock.signal.aborted).toBe(true);
  expect(clock.ranOut).toBe(false);
  clock.stop();
});

/**
 * How long each checkpoint write took, told to whoever listens (operators' metrics, slow-write
 * traces). Either saver reports here; each listener is added after those already there, so the
 * order in which features set themselves up does not matter.
 */
import { followedBy } from '../listeners.ts';

export type CheckpointWrite = 'put' | 'put_writes';
export type WriteTimer = (operation: CheckpointWrite, seconds: number) => void;

/** A saver that reports its writes' times (both do); unset, nothing is timed. */
export interface TimedWrites {
  onWrite?: WriteTimer;
}

export function onCheckpointWrite(saver: TimedWrites, listener: WriteTimer): void {
  saver.onWrite = followedBy(saver.onWrite, listener);
}

/**
 * The shape every catalogue has: English's keys, each a text or a function with English's
 * arguments. Declaring a catalogue as `Messages` makes TypeScript fail on a missing or extra key.
 */
import type { en } from './en.ts';

export type Messages = typeof en;

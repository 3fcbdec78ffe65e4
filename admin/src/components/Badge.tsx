/** A small label; the tone carries meaning only together with the words inside. */
import type { JSX } from 'solid-js';

export type Tone = 'ok' | 'warn' | 'danger' | 'info' | 'muted';

export function Badge(props: { tone?: Tone; children: JSX.Element; title?: string }) {
  return (
    <span class={`badge ${props.tone ?? 'muted'}`} title={props.title}>
      {props.children}
    </span>
  );
}

export const policyTone = (policy: string): Tone => (policy === 'DENY' ? 'danger' : policy === 'AUTO' ? 'ok' : 'warn');

const LEVEL_TONES: Record<string, Tone> = { DEBUG: 'muted', INFO: 'info', NOTICE: 'info', WARNING: 'warn' };
/** An MCP log level's tone: error and everything above it is danger. */
export const levelTone = (level: string): Tone => LEVEL_TONES[level] ?? 'danger';

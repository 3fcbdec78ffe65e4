/** Messages for the person: errors are announced at once (alert), other news politely (status). */
import { type JSX, Show } from 'solid-js';

export function ErrorNotice(props: { message: string | null | undefined }) {
  return (
    <Show when={props.message}>
      <p class="notice error" role="alert">
        {props.message}
      </p>
    </Show>
  );
}

export function StatusNotice(props: { children: JSX.Element; tone?: 'ok' | 'info' | 'warn' }) {
  return (
    <p class={`notice ${props.tone ?? 'info'}`} role="status">
      {props.children}
    </p>
  );
}

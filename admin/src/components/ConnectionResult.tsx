/** What a connection test found: the error to fix, or the server's tools as the model would see them. */
import { For, Show } from 'solid-js';
import type { ResultOf } from '../api/graphql.ts';
import type { TestConnection } from '../api/operations.ts';
import { Badge, policyTone } from './Badge.tsx';

type Tested = ResultOf<typeof TestConnection>['testConnection'];

const PIN_LABEL = { PINNED: 'Accepted', CHANGED: 'Changed: held', NEW: 'New: held', UNPINNED: 'Not yet accepted' } as const;

export function ConnectionResult(props: { result: Tested }) {
  return (
    <section class="test-result" aria-label="Connection test" role="status">
      <Show
        when={props.result.ok}
        fallback={
          <p class="notice error">
            <strong>Could not connect.</strong> {props.result.error}
          </p>
        }
      >
        <p class="notice ok">
          <strong>Connected</strong> in {props.result.durationMs} ms
          <Show when={props.result.protocolVersion}> (MCP {props.result.protocolVersion})</Show>: {props.result.tools.length} tools.
        </p>
        <ul class="tool-list">
          <For each={props.result.tools}>
            {(tool) => (
              <li aria-label={tool.name}>
                <div class="row">
                  <code>{tool.name}</code>
                  <Badge tone={policyTone(tool.policy)}>{tool.policy.toLowerCase()}</Badge>
                  <Show when={tool.annotations.readOnlyHint}>
                    <Badge tone="info">read-only</Badge>
                  </Show>
                  <Show when={!tool.annotations.readOnlyHint && tool.annotations.destructiveHint}>
                    <Badge tone="warn">may change data</Badge>
                  </Show>
                  <Badge tone={tool.pinState === 'CHANGED' || tool.pinState === 'NEW' ? 'warn' : 'muted'}>{PIN_LABEL[tool.pinState]}</Badge>
                </div>
                <Show when={tool.description}>
                  <p class="muted small">{tool.description}</p>
                </Show>
              </li>
            )}
          </For>
        </ul>
      </Show>
    </section>
  );
}

/**
 * Tool definitions held back because they changed (or appeared) after an admin accepted the
 * server's tools: a quietly rewritten description is a prompt-injection route, so each waits for
 * someone to read it and approve exactly that version.
 */
import { For, Show } from 'solid-js';
import { ApproveTool } from '../api/operations.ts';
import { createAction } from '../lib/action.ts';
import { api } from '../lib/api.ts';
import type { Server } from '../pages/ServerPage.tsx';
import { Badge } from './Badge.tsx';
import { ErrorNotice } from './Notice.tsx';

export function HeldTools(props: { server: Server; onChanged: (server: Server) => void }) {
  const approve = createAction(async (tool: string, definitionHash: string) => {
    props.onChanged((await api(ApproveTool, { serverId: props.server.id, tool, definitionHash })).approveTool);
  });
  return (
    <Show when={props.server.heldTools.length > 0}>
      <section class="panel attention" aria-labelledby="held-title">
        <h2 id="held-title">Held for review</h2>
        <p>These definitions differ from what was accepted. The model is not offered them until you approve.</p>
        <ErrorNotice message={approve.error()} />
        <ul class="tool-list">
          <For each={props.server.heldTools}>
            {(tool) => (
              <li aria-label={`Held: ${tool.name}`}>
                <div class="row">
                  <code>{tool.name}</code>
                  <Badge tone="warn">{tool.reason === 'NEW' ? 'New tool' : 'Changed'}</Badge>
                  <button
                    class="button primary small"
                    type="button"
                    disabled={approve.busy()}
                    onClick={() => void approve.perform(tool.name, tool.definitionHash)}
                  >
                    Approve this definition
                  </button>
                </div>
                <p>{tool.description || '(no description)'}</p>
                <details>
                  <summary>Input schema</summary>
                  <pre class="code">{JSON.stringify(tool.inputSchema, null, 2)}</pre>
                </details>
              </li>
            )}
          </For>
        </ul>
      </section>
    </Show>
  );
}

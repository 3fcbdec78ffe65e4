/**
 * Tool definitions held back because they changed (or appeared) after an admin accepted the
 * server's tools: a quietly rewritten description is a prompt-injection route, so each waits for
 * someone to read it and approve exactly that version.
 */
import { For, Show } from 'solid-js';
import { t } from '../../../shared/i18n/t.ts';
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
        <h2 id="held-title">{t('console.held.title')}</h2>
        <p>{t('console.held.text')}</p>
        <ErrorNotice message={approve.error()} />
        <ul class="tool-list">
          <For each={props.server.heldTools}>
            {(tool) => (
              <li aria-label={t('console.held.label', tool.name)}>
                <div class="row">
                  <code>{tool.name}</code>
                  <Badge tone="warn">{tool.reason === 'NEW' ? t('console.held.newTool') : t('console.held.changed')}</Badge>
                  <button
                    class="button primary small"
                    type="button"
                    disabled={approve.busy()}
                    onClick={() => void approve.perform(tool.name, tool.definitionHash)}
                  >
                    {t('console.held.approve')}
                  </button>
                </div>
                <p>{tool.description || t('console.held.noDescription')}</p>
                <details>
                  <summary>{t('console.held.inputSchema')}</summary>
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

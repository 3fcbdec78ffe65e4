/**
 * Per-tool policy: what the model may run without asking, must ask about, or is never offered.
 * The tools come from a live listing (a connection test of the saved server); tools with a
 * setting whose server is down still show, from the stored settings.
 */
import { createResource, For, Show } from 'solid-js';
import { t } from '../../../shared/i18n/t.ts';
import { SetToolPolicy, TestConnection } from '../api/operations.ts';
import { createAction } from '../lib/action.ts';
import { api, describeError } from '../lib/api.ts';
import type { Policy } from '../lib/server-form.ts';
import type { Server } from '../pages/ServerPage.tsx';
import { Badge, policyTone } from './Badge.tsx';
import { ErrorNotice } from './Notice.tsx';
import { POLICIES } from './ServerForm.tsx';
import { DataTable } from './DataTable.tsx';

interface Row {
  name: string;
  description: string;
  /** What applies now: the explicit setting, or the default the server's settings give. */
  effective: Policy | null;
}

export function ToolPolicies(props: { server: Server; onChanged: (server: Server) => void }) {
  const [listing, { refetch }] = createResource(
    () => props.server.id,
    (serverId) => api(TestConnection, { serverId }).then((r) => r.testConnection),
  );
  const change = createAction(async (tool: string, policy: Policy | null) => {
    props.onChanged((await api(SetToolPolicy, { serverId: props.server.id, tool, policy })).setToolPolicy);
    await refetch();
  });

  const explicit = (tool: string) => props.server.toolPolicies.find((p) => p.tool === tool)?.policy ?? null;
  const rows = (): Row[] => {
    const listed = listing()?.tools ?? [];
    const live: Row[] = listed.map((t) => ({ name: t.name, description: t.description, effective: t.policy }));
    const offline = props.server.toolPolicies
      .filter((p) => !listed.some((t) => t.name === p.tool))
      .map((p) => ({ name: p.tool, description: t('console.toolPolicies.notListed'), effective: p.policy }));
    return [...live, ...offline];
  };

  return (
    <section class="panel" aria-labelledby="policies-title">
      <div class="page-head">
        <h2 id="policies-title">{t('console.toolPolicies.title')}</h2>
        <button class="button" type="button" disabled={listing.loading} onClick={() => void refetch()}>
          {listing.loading ? t('console.toolPolicies.listing') : t('console.toolPolicies.reload')}
        </button>
      </div>
      <p class="muted">{t('console.toolPolicies.text', t(`console.policyNames.${props.server.defaultPolicy}`))}</p>
      <ErrorNotice message={change.error() ?? (listing.error ? describeError(listing.error) : null)} />
      <Show when={listing() && !listing()!.ok}>
        <p class="notice warn">{t('console.toolPolicies.couldNotList', listing()!.error ?? '')}</p>
      </Show>
      <DataTable
        caption={t('console.toolPolicies.caption', props.server.name)}
        columns={[
          { label: t('console.common.tool') },
          { label: t('console.toolPolicies.appliesNow') },
          { label: t('console.toolPolicies.setting') },
        ]}
        rows={rows()}
        empty={listing.loading ? t('console.toolPolicies.listing') : t('console.toolPolicies.empty')}
      >
        {(row) => (
          <tr aria-label={row.name}>
            <td>
              <code>{row.name}</code>
              <div class="muted small">{row.description}</div>
            </td>
            <td>
              <Show when={row.effective}>{(p) => <Badge tone={policyTone(p())}>{t(`console.policyNames.${p()}`)}</Badge>}</Show>
            </td>
            <td>
              <select
                class="input compact"
                aria-label={t('console.toolPolicies.policyFor', row.name)}
                disabled={change.busy()}
                value={explicit(row.name) ?? ''}
                onChange={(e) => void change.perform(row.name, (e.currentTarget.value || null) as Policy | null)}
              >
                <option value="">{t('console.toolPolicies.serverDefault')}</option>
                <For each={POLICIES}>{(policy) => <option value={policy}>{t(`console.policies.${policy}`)}</option>}</For>
              </select>
            </td>
          </tr>
        )}
      </DataTable>
    </section>
  );
}

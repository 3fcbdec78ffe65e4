/** The tool-call audit log: who ran what, who decided, and how it ended; filtered and paged. */
import { createResource, createSignal, For, Show } from 'solid-js';
import { t } from '../../../shared/i18n/t.ts';
import { createStore } from 'solid-js/store';
import type { ResultOf, VariablesOf } from '../api/graphql.ts';
import { AuditExportQuery, AuditLogQuery, ServersQuery, UsersQuery } from '../api/operations.ts';
import { Badge, type Tone } from '../components/Badge.tsx';
import { ErrorNotice } from '../components/Notice.tsx';
import { Pager } from '../components/Pager.tsx';
import { api, describeError, formatTime } from '../lib/api.ts';
import { personName } from '../lib/person-name.ts';
import { DataTable } from '../components/DataTable.tsx';

type Filter = NonNullable<VariablesOf<typeof AuditLogQuery>['filter']>;
type Decision = NonNullable<Filter['decision']>;
type Entry = ResultOf<typeof AuditLogQuery>['auditLog']['items'][number];
type Person = { id: string; name?: string | null; email?: string | null };
const PAGE = 50;
const DECISIONS: Decision[] = ['APPROVED', 'EDITED', 'REJECTED', 'AUTO', 'DENIED'];
const refused = (d: Decision) => d === 'REJECTED' || d === 'DENIED';
const decisionTone = (d: Decision): Tone => (refused(d) ? 'danger' : d === 'AUTO' ? 'info' : 'ok');

/**
 * Who decided: "policy", or a person's id. That person is the chat's owner, whose name the entry
 * carries; anyone else is looked for among the people the filter lists.
 */
function decider(entry: Entry, people: readonly Person[] | undefined): string | null {
  const by = entry.decidedBy;
  if (!by) return null;
  if (by === 'policy') return t('console.audit.policy');
  const person = entry.user?.id === by ? entry.user : people?.find((p) => p.id === by);
  return person ? (person.name ?? person.email ?? t('console.common.deletedUser')) : by;
}

/** datetime-local gives local wall time without a zone; the API wants an instant. */
const instant = (local: string) => (local ? new Date(local).toISOString() : null);

export function AuditPage() {
  const [draft, setDraft] = createStore({ serverId: '', tool: '', decision: '', userId: '', from: '', to: '' });
  const [filter, setFilter] = createSignal<Filter>({});
  const [offset, setOffset] = createSignal(0);
  const [servers] = createResource(() => api(ServersQuery).then((r) => r.servers));
  const [people] = createResource(() => api(UsersQuery, { limit: 100 }).then((r) => r.users.items));
  const [page] = createResource(
    () => ({ filter: filter(), offset: offset() }),
    (q) => api(AuditLogQuery, { filter: q.filter, limit: PAGE, offset: q.offset }).then((r) => r.auditLog),
  );
  // The server writes the download's address for the applied filters; the browser streams the file to disk.
  const [exports] = createResource(filter, (f) => api(AuditExportQuery, { filter: f }));
  const apply = (event: Event) => {
    event.preventDefault();
    setOffset(0);
    setFilter({
      serverId: draft.serverId || null,
      tool: draft.tool.trim() || null,
      decision: (draft.decision || null) as Decision | null,
      userId: draft.userId || null,
      from: instant(draft.from),
      to: instant(draft.to),
    });
  };
  const field = (key: keyof typeof draft) => (e: { currentTarget: HTMLInputElement | HTMLSelectElement }) =>
    setDraft(key, e.currentTarget.value);

  return (
    <section aria-labelledby="audit-title">
      <h1 id="audit-title">{t('console.audit.title')}</h1>
      <form class="filters" aria-label={t('console.audit.filters')} onSubmit={apply}>
        <label class="field">
          <span class="field-label">{t('console.common.server')}</span>
          <select class="input" value={draft.serverId} onChange={field('serverId')}>
            <option value="">{t('console.common.any')}</option>
            <For each={servers()}>{(s) => <option value={s.id}>{s.name}</option>}</For>
          </select>
        </label>
        <label class="field">
          <span class="field-label">{t('console.common.tool')}</span>
          <input class="input" value={draft.tool} onInput={field('tool')} placeholder="notes_create" />
        </label>
        <label class="field">
          <span class="field-label">{t('console.audit.decision')}</span>
          <select class="input" value={draft.decision} onChange={field('decision')}>
            <option value="">{t('console.common.any')}</option>
            <For each={DECISIONS}>{(d) => <option value={d}>{t(`console.audit.decisions.${d}`)}</option>}</For>
          </select>
        </label>
        <label class="field">
          <span class="field-label">{t('console.common.user')}</span>
          <select class="input" value={draft.userId} onChange={field('userId')}>
            <option value="">{t('console.audit.anyone')}</option>
            <For each={people()}>{(u) => <option value={u.id}>{personName(u)}</option>}</For>
          </select>
        </label>
        <label class="field">
          <span class="field-label">{t('console.audit.from')}</span>
          <input class="input" type="datetime-local" value={draft.from} onInput={field('from')} />
        </label>
        <label class="field">
          <span class="field-label">{t('console.audit.until')}</span>
          <input class="input" type="datetime-local" value={draft.to} onInput={field('to')} />
        </label>
        <div>
          <button class="button primary" type="submit">
            {t('console.audit.apply')}
          </button>
        </div>
      </form>
      <Show when={exports()}>
        {(links) => (
          <div class="toolbar">
            <a class="button" href={links().csv.url} download="">
              {t('console.audit.exportCsv')}
            </a>
            <a class="button" href={links().jsonl.url} download="">
              {t('console.audit.exportJsonl')}
            </a>
            <span class="muted small">{t('console.audit.exportHint')}</span>
          </div>
        )}
      </Show>
      <ErrorNotice message={page.error ? describeError(page.error) : null} />
      <DataTable
        caption={t('console.audit.caption')}
        columns={[
          { label: t('console.audit.requested') },
          { label: t('console.common.user') },
          { label: t('console.common.tool') },
          { label: t('console.audit.decision') },
          { label: t('console.audit.outcome') },
          { label: t('console.audit.arguments') },
        ]}
        rows={page()?.items}
        empty={page.loading ? t('console.common.loading') : t('console.audit.empty')}
      >
        {(entry) => (
          <tr>
            <td class="nowrap">{formatTime(entry.requestedAt)}</td>
            <td>{entry.user?.name ?? entry.user?.email ?? t('console.common.deletedUser')}</td>
            <td>
              <code>{entry.tool}</code>
              <div class="muted small">{entry.serverName}</div>
            </td>
            <td>
              <Badge tone={decisionTone(entry.decision)}>{t(`console.audit.decisions.${entry.decision}`)}</Badge>
              <Show when={decider(entry, people())}>{(by) => <div class="muted small">{t('console.common.by', by())}</div>}</Show>
              <Show when={entry.reason}>{(reason) => <div class="small">{t('console.audit.reason', reason())}</div>}</Show>
            </td>
            <td>
              {entry.outcome ? t(`console.audit.outcomes.${entry.outcome}`) : refused(entry.decision) ? t('console.audit.notRun') : '—'}
              <Show when={entry.error}>
                <div class="muted small">{entry.error}</div>
              </Show>
            </td>
            <td>
              <details>
                <summary>{t('console.common.show')}</summary>
                <pre class="code">{JSON.stringify(entry.arguments, null, 2)}</pre>
              </details>
            </td>
          </tr>
        )}
      </DataTable>
      <Show when={page()}>
        {(p) => (
          <Pager label={t('console.audit.title')} offset={p().offset} limit={p().limit} total={p().totalCount} onChange={setOffset} />
        )}
      </Show>
    </section>
  );
}

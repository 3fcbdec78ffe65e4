/** Tokens the models' answers used: by UTC day, person and model, with totals per person and per model. */
import { createResource, createSignal, For, Show } from 'solid-js';
import { createStore } from 'solid-js/store';
import { formatDay, formatNumber } from '../../../shared/i18n/format.ts';
import { t } from '../../../shared/i18n/t.ts';
import { UsageQuery } from '../api/operations.ts';
import { DataTable } from '../components/DataTable.tsx';
import { ErrorNotice } from '../components/Notice.tsx';
import { api, describeError } from '../lib/api.ts';
import { lastDays, personOf, totalsBy, type UsageTotal } from '../lib/usage-totals.ts';

/** What the page shows first: the last 30 days, today included. */
const DEFAULT_DAYS = 30;

function Totals(props: { title: string; id: string; totals: UsageTotal[] }) {
  return (
    <section class="panel" aria-labelledby={props.id}>
      <h2 id={props.id}>{props.title}</h2>
      <table class="table">
        <thead>
          <tr>
            <th scope="col">
              <span class="sr-only">{props.title}</span>
            </th>
            <th scope="col">{t('console.usage.answers')}</th>
            <th scope="col">{t('console.usage.input')}</th>
            <th scope="col">{t('console.usage.output')}</th>
          </tr>
        </thead>
        <tbody>
          <For each={props.totals}>
            {(total) => (
              <tr aria-label={total.label}>
                <td class="strong">{total.label}</td>
                <td>{formatNumber(total.answers)}</td>
                <td>{formatNumber(total.inputTokens)}</td>
                <td>{formatNumber(total.outputTokens)}</td>
              </tr>
            )}
          </For>
        </tbody>
      </table>
    </section>
  );
}

export function UsagePage() {
  const [draft, setDraft] = createStore(lastDays(DEFAULT_DAYS));
  const [period, setPeriod] = createSignal(lastDays(DEFAULT_DAYS));
  const [rows] = createResource(period, ({ from, to }) =>
    api(UsageQuery, { from: `${from}T00:00:00Z`, to: `${to}T23:59:59Z` }).then((r) => r.usage),
  );

  return (
    <section aria-labelledby="usage-title">
      <h1 id="usage-title">{t('console.usage.title')}</h1>
      <p class="lead">{t('console.usage.lead')}</p>
      <form
        class="filters"
        aria-label={t('console.usage.range')}
        onSubmit={(event) => {
          event.preventDefault();
          setPeriod({ ...draft });
        }}
      >
        <label class="field">
          <span class="field-label">{t('console.usage.from')}</span>
          <input class="input" type="date" required value={draft.from} onInput={(e) => setDraft('from', e.currentTarget.value)} />
        </label>
        <label class="field">
          <span class="field-label">{t('console.usage.to')}</span>
          <input class="input" type="date" required value={draft.to} onInput={(e) => setDraft('to', e.currentTarget.value)} />
        </label>
        <div>
          <button class="button primary" type="submit">
            {t('console.usage.show')}
          </button>
        </div>
      </form>
      <ErrorNotice message={rows.error ? describeError(rows.error) : null} />
      <Show when={!rows.error}>
        <DataTable
          caption={t('console.usage.caption')}
          columns={[
            { label: t('console.usage.day') },
            { label: t('console.common.person') },
            { label: t('console.usage.model') },
            { label: t('console.usage.answers') },
            { label: t('console.usage.input') },
            { label: t('console.usage.output') },
          ]}
          rows={rows()}
          empty={rows.loading ? t('console.common.loading') : t('console.usage.empty')}
        >
          {(row) => (
            <tr>
              <td class="nowrap">
                <time datetime={row.day}>{formatDay(row.day)}</time>
              </td>
              <td>{personOf(row)}</td>
              <td>{row.modelName}</td>
              <td>{formatNumber(row.answers)}</td>
              <td>{formatNumber(row.inputTokens)}</td>
              <td>{formatNumber(row.outputTokens)}</td>
            </tr>
          )}
        </DataTable>
        <Show when={rows()?.length}>
          <Totals id="usage-people" title={t('console.usage.byPerson')} totals={totalsBy(rows() ?? [], (r) => r.user.id, personOf)} />
          <Totals
            id="usage-models"
            title={t('console.usage.byModel')}
            totals={totalsBy(
              rows() ?? [],
              (r) => r.modelId,
              (r) => r.modelName,
            )}
          />
        </Show>
      </Show>
    </section>
  );
}

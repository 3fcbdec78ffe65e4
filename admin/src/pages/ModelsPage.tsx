/** The model catalogue at a glance: each model, how it is reached, what it can do, who may use it; the default chosen here. */
import { createResource, Show } from 'solid-js';
import { t } from '../../../shared/i18n/t.ts';
import type { ResultOf } from '../api/graphql.ts';
import { ModelsQuery, UpdateModel } from '../api/operations.ts';
import { Badge } from '../components/Badge.tsx';
import { ErrorNotice } from '../components/Notice.tsx';
import { createAction } from '../lib/action.ts';
import { api, describeError } from '../lib/api.ts';
import { whoMayUse } from '../lib/model-form.ts';
import { link } from '../lib/router.ts';
import { DataTable } from '../components/DataTable.tsx';

type Model = ResultOf<typeof ModelsQuery>['models'][number];

export function ModelsPage() {
  const [models, { refetch, mutate }] = createResource(() => api(ModelsQuery).then((r) => r.models));
  const toggle = createAction(async (model: Model) => {
    const { updateModel } = await api(UpdateModel, { id: model.id, input: { enabled: !model.enabled } });
    mutate((list) => list?.map((m) => (m.id === model.id ? updateModel : m)));
  });
  // Making one the default makes every other not: the list is read again.
  const makeDefault = createAction(async (model: Model) => {
    await api(UpdateModel, { id: model.id, input: { isDefault: true } });
    await refetch();
  });
  const busy = () => toggle.busy() || makeDefault.busy();

  return (
    <section aria-labelledby="models-title">
      <div class="page-head">
        <h1 id="models-title">{t('console.models.title')}</h1>
        <a class="button primary" href="/admin/models/new" onClick={link}>
          {t('console.models.add')}
        </a>
      </div>
      <p class="lead">{t('console.models.lead')}</p>
      <ErrorNotice message={toggle.error() ?? makeDefault.error() ?? (models.error ? describeError(models.error) : null)} />
      <Show when={models()} fallback={<p aria-busy="true">{t('console.models.loading')}</p>}>
        <DataTable
          caption={t('console.models.caption')}
          columns={[
            { label: t('console.models.model') },
            { label: t('console.models.provider') },
            { label: t('console.common.status') },
            { label: t('console.models.who') },
            { label: t('console.common.actions'), visuallyHidden: true },
          ]}
          rows={models()}
          empty={t('console.models.empty')}
        >
          {(model) => (
            <tr aria-label={model.name}>
              <td>
                <a class="strong" href={`/admin/models/${encodeURIComponent(model.id)}`} onClick={link}>
                  {model.name}
                </a>
                <Show when={model.modelId}>
                  <div class="muted small mono">{model.modelId}</div>
                </Show>
              </td>
              <td>
                {t(`console.models.providers.${model.provider}`)}
                <Show when={model.baseUrl}>
                  <div class="muted small mono ellipsis" title={model.baseUrl ?? undefined}>
                    {model.baseUrl}
                  </div>
                </Show>
              </td>
              <td>
                <div class="row">
                  <Show when={model.isDefault}>
                    <Badge tone="info">{t('console.models.default')}</Badge>
                  </Show>
                  <Badge tone={model.enabled ? 'ok' : 'muted'}>
                    {model.enabled ? t('console.common.enabled') : t('console.common.disabled')}
                  </Badge>
                  <Show when={model.acceptsImages}>
                    <Badge>{t('console.models.images')}</Badge>
                  </Show>
                  <Show when={model.supportsToolCalls}>
                    <Badge>{t('console.models.toolCalls')}</Badge>
                  </Show>
                </div>
              </td>
              <td>
                {whoMayUse(model.allowedRoles, model.allowedGroups)}
                <Show when={model.allowedGroups.length > 0}>
                  <div class="muted small mono">{t('console.models.inGroups', model.allowedGroups.join(', '))}</div>
                </Show>
              </td>
              <td class="actions">
                {/* The default is never disabled and a disabled model never the default (the API refuses both). */}
                <Show when={!model.isDefault}>
                  <Show when={model.enabled}>
                    <button class="button" type="button" disabled={busy()} onClick={() => void makeDefault.perform(model)}>
                      {t('console.models.makeDefault')}
                    </button>
                  </Show>
                  <button class="button" type="button" disabled={busy()} onClick={() => void toggle.perform(model)}>
                    {model.enabled ? t('console.common.disable') : t('console.common.enable')}
                  </button>
                </Show>
              </td>
            </tr>
          )}
        </DataTable>
      </Show>
    </section>
  );
}

/** One catalogue model: its settings (or a new model's), a test before saving, and removing it. */
import { createResource, createSignal, Show } from 'solid-js';
import { t } from '../../../shared/i18n/t.ts';
import { DeleteModel, ModelQuery } from '../api/operations.ts';
import { ConfirmDialog } from '../components/ConfirmDialog.tsx';
import { ModelForm } from '../components/ModelForm.tsx';
import { ErrorNotice } from '../components/Notice.tsx';
import { api, describeError } from '../lib/api.ts';
import type { Model } from '../lib/model-form.ts';
import { link, navigate } from '../lib/router.ts';

export function ModelPage(props: { modelId: string | null }) {
  const [model, { mutate }] = createResource(
    () => props.modelId,
    (id) => api(ModelQuery, { id }).then((r) => r.model),
  );
  const [removing, setRemoving] = createSignal<Model>();
  const remove = async (id: string) => {
    await api(DeleteModel, { id });
    navigate('/models');
  };

  return (
    <section aria-labelledby="model-title">
      <p class="crumbs">
        <a href="/admin/models" onClick={link}>
          {t('console.nav.models')}
        </a>{' '}
        /
      </p>
      <Show
        when={props.modelId}
        fallback={
          <>
            <h1 id="model-title">{t('console.model.addTitle')}</h1>
            <ModelForm model={null} onSaved={(saved) => navigate(`/models/${encodeURIComponent(saved.id)}`)} />
          </>
        }
      >
        <ErrorNotice message={model.error ? describeError(model.error) : null} />
        <Show when={model.state === 'ready' && model() === null}>
          <p>{t('console.model.gone')}</p>
        </Show>
        <Show when={model()}>
          {(current) => (
            <>
              <h1 id="model-title">{current().name}</h1>
              <ModelForm model={current()} onSaved={(saved) => mutate(saved)} />
              <section class="panel danger-zone" aria-labelledby="remove-model-title">
                <h2 id="remove-model-title">{t('console.model.removeTitle')}</h2>
                <p>{t('console.model.removeText', current().name)}</p>
                <button class="button danger-outline" type="button" onClick={() => setRemoving(current())}>
                  {t('console.model.removeButton')}
                </button>
              </section>
            </>
          )}
        </Show>
      </Show>
      <Show when={removing()} keyed>
        {(asked) => (
          <ConfirmDialog
            title={t('console.model.removeQuestion', asked.name)}
            confirmLabel={t('console.model.remove')}
            danger
            onConfirm={() => remove(asked.id)}
            onClose={() => setRemoving(undefined)}
          >
            <p>{t('console.model.removeText', asked.name)}</p>
          </ConfirmDialog>
        )}
      </Show>
    </section>
  );
}

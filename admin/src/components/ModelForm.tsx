/** Create or edit a catalogue model, and test the settings on the form before saving them. */
import { createEffect, createMemo, createSignal, For, on, Show } from 'solid-js';
import { createStore } from 'solid-js/store';
import { t } from '../../../shared/i18n/t.ts';
import type { ResultOf } from '../api/graphql.ts';
import { CreateModel, TestModel, UpdateModel } from '../api/operations.ts';
import { createAction } from '../lib/action.ts';
import { api } from '../lib/api.ts';
import { fieldProblems, formProblem } from '../lib/field-problems.ts';
import {
  emptyModelForm,
  type Model,
  type ModelFormState,
  modelFormFrom,
  needsKeyAgain,
  PROVIDERS,
  type Provider,
  ROLES,
  toModelPatch,
  usesAddress,
  usesKey,
  usesScope,
} from '../lib/model-form.ts';
import { controlAttributes, Field, FieldProblem, fieldId } from './Field.tsx';
import { ModelResult } from './ModelResult.tsx';
import { ErrorNotice, StatusNotice } from './Notice.tsx';

type Tested = ResultOf<typeof TestModel>['testModel'];
const PROVIDER_HELP_ID = 'provider-help';
const KEY_STATE_ID = 'api-key-state';
const CONTEXT_HELP_ID = 'context-window-help';
const GROUPS_HELP_ID = 'groups-help';

export function ModelForm(props: { model: Model | null; onSaved: (model: Model) => void }) {
  const [form, setForm] = createStore<ModelFormState>(props.model ? modelFormFrom(props.model) : emptyModelForm());
  const [tested, setTested] = createSignal<Tested | null>(null);
  const [saved, setSaved] = createSignal(false);
  const [replacingKey, setReplacingKey] = createSignal(false);
  // A save starts the form afresh from what was stored.
  createEffect(
    on(
      () => props.model,
      () => setReplacingKey(false),
      { defer: true },
    ),
  );
  const storedKey = () => props.model?.hasApiKey === true;
  let keyInput: HTMLInputElement | undefined;

  const save = createAction(async () => {
    test.clearError();
    setSaved(false);
    const input = toModelPatch(form, props.model);
    const model = props.model
      ? (await api(UpdateModel, { id: props.model.id, input })).updateModel
      : (await api(CreateModel, { input: { ...input, name: input.name ?? '', provider: form.provider } })).createModel;
    setForm(modelFormFrom(model));
    setSaved(true);
    props.onSaved(model);
  });
  const test = createAction(async () => {
    save.clearError();
    setTested(null);
    // A model is tested before it has a name; a blank one would be refused.
    const { name, ...settings } = toModelPatch(form, props.model);
    const input = name ? { name, ...settings } : settings;
    setTested((await api(TestModel, { input, modelId: props.model?.id ?? null })).testModel);
  });

  /** The fields on the form now, by the API's names: a problem with one of them is shown beside it. */
  const shown = createMemo(() => {
    const fields = ['name', 'provider', 'contextWindow', 'isDefault', 'allowedRoles', 'allowedGroups'];
    if (usesAddress(form.provider)) fields.push('baseUrl', 'modelId');
    if (usesKey(form.provider)) fields.push('apiKey');
    if (usesScope(form.provider)) fields.push('tokenScope');
    return new Set(fields);
  });
  const problems = createMemo(() => fieldProblems(save.failure() ?? test.failure(), shown()));
  const problem = (field: string) => problems().fields[field];

  const text =
    (key: 'name' | 'baseUrl' | 'modelId' | 'apiKey' | 'tokenScope' | 'contextWindow') => (event: { currentTarget: HTMLInputElement }) =>
      setForm(key, event.currentTarget.value);
  const check =
    (key: 'acceptsImages' | 'supportsToolCalls' | 'enabled' | 'isDefault' | 'clearApiKey') =>
    (event: { currentTarget: HTMLInputElement }) =>
      setForm(key, event.currentTarget.checked);
  const replaceKey = () => {
    setReplacingKey(true);
    keyInput?.focus();
  };
  const keepKey = () => {
    setForm('apiKey', '');
    setReplacingKey(false);
  };

  return (
    <form
      class="panel server-form"
      aria-label={props.model ? t('console.modelForm.settings') : t('console.modelForm.newModel')}
      onSubmit={(event) => {
        event.preventDefault();
        void save.perform();
      }}
    >
      <div class="grid two">
        <Field field="name" label={t('console.modelForm.name')} problem={problem('name')}>
          <input
            class="input"
            required
            maxLength={80}
            value={form.name}
            onInput={text('name')}
            {...controlAttributes('name', problem('name'))}
          />
        </Field>
        <Field field="provider" label={t('console.modelForm.provider')} problem={problem('provider')}>
          <select
            class="input"
            value={form.provider}
            onChange={(e) => setForm('provider', e.currentTarget.value as Provider)}
            {...controlAttributes('provider', problem('provider'), PROVIDER_HELP_ID)}
          >
            {/* Each option says whether it is chosen: the select's own value is set before its options exist. */}
            <For each={PROVIDERS}>
              {(provider) => (
                <option value={provider} selected={form.provider === provider}>
                  {t(`console.models.providers.${provider}`)}
                </option>
              )}
            </For>
          </select>
          <span class="muted small" id={PROVIDER_HELP_ID}>
            {t(`console.modelForm.providerHelp.${form.provider}`)}
          </span>
        </Field>
      </div>
      <Show when={usesAddress(form.provider)}>
        <div class="grid two">
          <Field field="baseUrl" label={t('console.modelForm.baseUrl')} problem={problem('baseUrl')}>
            <input
              class="input mono"
              type="url"
              required
              spellcheck={false}
              placeholder="https://api.openai.com/v1"
              value={form.baseUrl}
              onInput={text('baseUrl')}
              {...controlAttributes('baseUrl', problem('baseUrl'))}
            />
          </Field>
          <Field
            field="modelId"
            label={form.provider === 'AZURE_AD' ? t('console.modelForm.deploymentId') : t('console.modelForm.modelId')}
            problem={problem('modelId')}
          >
            <input
              class="input mono"
              spellcheck={false}
              maxLength={200}
              value={form.modelId}
              onInput={text('modelId')}
              {...controlAttributes('modelId', problem('modelId'))}
            />
          </Field>
        </div>
      </Show>
      <Show when={usesScope(form.provider)}>
        <Field field="tokenScope" label={t('console.modelForm.tokenScope')} problem={problem('tokenScope')}>
          <input
            class="input mono"
            required
            spellcheck={false}
            placeholder="https://cognitiveservices.azure.com/.default"
            value={form.tokenScope}
            onInput={text('tokenScope')}
            {...controlAttributes('tokenScope', problem('tokenScope'))}
          />
        </Field>
      </Show>
      <Show when={usesKey(form.provider)}>
        <div class="field">
          <label class="field-label" for={storedKey() && !replacingKey() ? undefined : fieldId('apiKey')}>
            {t('console.modelForm.apiKey')}
          </label>
          <Show
            when={storedKey() && !replacingKey()}
            fallback={
              <>
                <input
                  ref={keyInput}
                  class="input mono"
                  type="password"
                  autocomplete="off"
                  value={form.apiKey}
                  onInput={text('apiKey')}
                  {...controlAttributes('apiKey', problem('apiKey'), KEY_STATE_ID)}
                />
                <div class="row">
                  <span class="muted small" id={KEY_STATE_ID}>
                    {storedKey() ? t('console.modelForm.replacesKey') : t('console.common.notSet')}
                  </span>
                  <Show when={storedKey()}>
                    <button class="button small" type="button" onClick={keepKey}>
                      {t('console.modelForm.keepKey')}
                    </button>
                  </Show>
                </div>
              </>
            }
          >
            <div class="row">
              <span class="secret-state" id={KEY_STATE_ID}>
                {form.clearApiKey ? t('console.modelForm.apiKeyRemoved') : t('console.modelForm.apiKeyStored')}
              </span>
              <Show when={!form.clearApiKey}>
                <button class="button small" type="button" aria-label={t('console.modelForm.replaceKey')} onClick={replaceKey}>
                  {t('console.common.replace')}
                </button>
              </Show>
            </div>
            <label class="checkbox">
              <input type="checkbox" checked={form.clearApiKey} onChange={check('clearApiKey')} /> {t('console.modelForm.removeKey')}
            </label>
          </Show>
          <Show when={storedKey()}>
            <span class={needsKeyAgain(form, props.model) ? 'notice warn' : 'muted small'}>{t('console.modelForm.keyAgain')}</span>
          </Show>
          <FieldProblem field="apiKey" problem={problem('apiKey')} />
        </div>
      </Show>
      <div class="grid two">
        <Field field="contextWindow" label={t('console.modelForm.contextWindow')} problem={problem('contextWindow')}>
          <input
            class="input short"
            type="number"
            min={1000}
            max={10_000_000}
            step={1}
            value={form.contextWindow}
            onInput={text('contextWindow')}
            {...controlAttributes('contextWindow', problem('contextWindow'), CONTEXT_HELP_ID)}
          />
          <span class="muted small" id={CONTEXT_HELP_ID}>
            {t('console.modelForm.contextWindowHelp')}
          </span>
        </Field>
        <div class="field checks">
          <label class="checkbox">
            <input type="checkbox" checked={form.acceptsImages} onChange={check('acceptsImages')} /> {t('console.modelForm.acceptsImages')}
          </label>
          <label class="checkbox">
            <input type="checkbox" checked={form.supportsToolCalls} onChange={check('supportsToolCalls')} />{' '}
            {t('console.modelForm.toolCalls')}
          </label>
          <label class="checkbox">
            <input type="checkbox" checked={form.enabled} onChange={check('enabled')} /> {t('console.modelForm.enabled')}
          </label>
          <label class="checkbox">
            <input
              type="checkbox"
              checked={form.isDefault}
              onChange={check('isDefault')}
              {...controlAttributes('isDefault', problem('isDefault'))}
            />{' '}
            {t('console.modelForm.isDefault')}
          </label>
          <FieldProblem field="isDefault" problem={problem('isDefault')} />
        </div>
      </div>
      <fieldset class="choice-list" id={fieldId('allowedRoles')}>
        <legend class="field-label">{t('console.modelForm.who')}</legend>
        <label class="checkbox">
          <input type="radio" name="who" checked={form.everyone} onChange={() => setForm('everyone', true)} />{' '}
          {t('console.modelForm.everyone')}
        </label>
        <label class="checkbox">
          <input type="radio" name="who" checked={!form.everyone} onChange={() => setForm('everyone', false)} />{' '}
          {t('console.modelForm.someRoles')}
        </label>
        <Show when={!form.everyone}>
          <div class="row">
            <For each={ROLES}>
              {(role) => (
                <label class="checkbox">
                  <input
                    type="checkbox"
                    checked={form.roles.includes(role)}
                    onChange={(e) =>
                      setForm('roles', (roles) => (e.currentTarget.checked ? [...roles, role] : roles.filter((r) => r !== role)))
                    }
                  />{' '}
                  {t(`console.models.roles.${role}`)}
                </label>
              )}
            </For>
          </div>
          <Field field="allowedGroups" label={t('console.modelForm.groups')} problem={problem('allowedGroups')}>
            <textarea
              class="input mono"
              rows={3}
              spellcheck={false}
              value={form.groups}
              onInput={(event) => setForm('groups', event.currentTarget.value)}
              {...controlAttributes('allowedGroups', problem('allowedGroups'), GROUPS_HELP_ID)}
            />
            <span class="muted small" id={GROUPS_HELP_ID}>
              {t('console.modelForm.groupsHelp')}
            </span>
          </Field>
        </Show>
        <FieldProblem field="allowedRoles" problem={problem('allowedRoles')} />
      </fieldset>
      <ErrorNotice message={formProblem(problems())} />
      <Show when={saved() && !save.busy()}>
        <StatusNotice tone="ok">{t('console.common.saved')}</StatusNotice>
      </Show>
      <div class="row">
        <button class="button primary" type="submit" disabled={save.busy()}>
          {props.model ? t('console.modelForm.save') : t('console.modelForm.add')}
        </button>
        <button class="button" type="button" disabled={test.busy()} onClick={() => void test.perform()}>
          {test.busy() ? t('console.modelForm.testing') : t('console.modelForm.test')}
        </button>
      </div>
      <Show when={tested()}>{(result) => <ModelResult result={result()} />}</Show>
    </form>
  );
}

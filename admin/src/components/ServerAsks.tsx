/**
 * The server form's "What this server may ask" part: whether it may use the chat's model
 * (sampling), with a cap on each reply, and the folders (roots) people may let it see. A root is
 * offered only in the chats whose owner ticks it; removing one here takes it from every chat.
 */
import { For, Show } from 'solid-js';
import { t } from '../../../shared/i18n/t.ts';
import type { SetStoreFunction } from 'solid-js/store';
import { LIMITS } from '../../../shared/limits.ts';
import type { SamplingPolicy, ServerFormState } from '../lib/server-form.ts';
import { controlAttributes, Field, FieldProblem, fieldId, problemId } from './Field.tsx';

const SAMPLING: readonly SamplingPolicy[] = ['OFF', 'ASK', 'ALLOWED'];
const ROOTS_HELP_ID = 'allowed-roots-help';
const TOKENS_HELP_ID = 'sampling-tokens-help';
const samplingHelpId = (policy: string) => `sampling-${policy}-help`;

export function ServerAsks(props: {
  form: ServerFormState;
  setForm: SetStoreFunction<ServerFormState>;
  problem: (field: string) => string | undefined;
}) {
  const addRoot = () => props.setForm('allowedRoots', (roots) => [...roots, { uri: '', name: '' }]);
  const removeRoot = (index: number) => props.setForm('allowedRoots', (roots) => roots.filter((_, i) => i !== index));

  return (
    <fieldset class="settings-group">
      <legend>{t('console.asks.legend')}</legend>
      <fieldset class="choice-list" id={fieldId('samplingPolicy')}>
        <legend class="field-label">{t('console.asks.sampling')}</legend>
        <For each={SAMPLING}>
          {(choice) => (
            <div class="choice">
              <input
                type="radio"
                id={`sampling-${choice}`}
                name="samplingPolicy"
                value={choice}
                checked={props.form.samplingPolicy === choice}
                aria-describedby={samplingHelpId(choice)}
                onChange={() => props.setForm('samplingPolicy', choice)}
              />
              <div>
                <label class="choice-label" for={`sampling-${choice}`}>
                  {t(`console.asks.samplingChoices.${choice}.label`)}
                </label>
                <div class="muted small" id={samplingHelpId(choice)}>
                  {t(`console.asks.samplingChoices.${choice}.help`)}
                </div>
              </div>
            </div>
          )}
        </For>
        <FieldProblem field="samplingPolicy" problem={props.problem('samplingPolicy')} />
      </fieldset>
      <Show when={props.form.samplingPolicy !== 'OFF'}>
        <Field field="samplingMaxTokens" label={t('console.asks.maxTokens')} problem={props.problem('samplingMaxTokens')}>
          <input
            class="input short"
            type="number"
            required
            min={1}
            max={100_000}
            step={1}
            value={Number.isNaN(props.form.samplingMaxTokens) ? '' : props.form.samplingMaxTokens}
            onInput={(e) => props.setForm('samplingMaxTokens', e.currentTarget.valueAsNumber)}
            {...controlAttributes('samplingMaxTokens', props.problem('samplingMaxTokens'), TOKENS_HELP_ID)}
          />
          <span class="muted small" id={TOKENS_HELP_ID}>
            {t('console.asks.maxTokensHelp')}
          </span>
        </Field>
      </Show>

      <fieldset class="choice-list" id={fieldId('allowedRoots')} aria-describedby={ROOTS_HELP_ID}>
        <legend class="field-label">{t('console.asks.roots')}</legend>
        <span class="muted small" id={ROOTS_HELP_ID}>
          {t('console.asks.rootsHelp')}
        </span>
        <For each={props.form.allowedRoots}>
          {(root, index) => (
            <div class="root-row">
              <input
                class="input mono"
                type="text"
                spellcheck={false}
                autocomplete="off"
                maxLength={LIMITS.rootUri}
                placeholder="file:///srv/projects"
                aria-label={t('console.asks.rootUri', index() + 1)}
                aria-invalid={props.problem('allowedRoots') ? 'true' : undefined}
                aria-describedby={props.problem('allowedRoots') ? problemId('allowedRoots') : undefined}
                value={root.uri}
                onInput={(e) => props.setForm('allowedRoots', index(), 'uri', e.currentTarget.value)}
              />
              <input
                class="input"
                type="text"
                maxLength={LIMITS.rootName}
                placeholder={t('console.asks.rootNamePlaceholder')}
                aria-label={t('console.asks.rootName', index() + 1)}
                value={root.name}
                onInput={(e) => props.setForm('allowedRoots', index(), 'name', e.currentTarget.value)}
              />
              <button
                class="button small"
                type="button"
                aria-label={t('console.asks.removeRoot', index() + 1)}
                onClick={() => removeRoot(index())}
              >
                {t('console.common.remove')}
              </button>
            </div>
          )}
        </For>
        <div class="row">
          <button class="button small" type="button" disabled={props.form.allowedRoots.length >= LIMITS.rootsPerServer} onClick={addRoot}>
            {t('console.asks.addRoot')}
          </button>
        </div>
        <FieldProblem field="allowedRoots" problem={props.problem('allowedRoots')} />
      </fieldset>
    </fieldset>
  );
}

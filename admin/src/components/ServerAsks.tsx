/**
 * The server form's "What this server may ask" part: whether it may use the chat's model
 * (sampling), with a cap on each reply, and the folders (roots) people may let it see. A root is
 * offered only in the chats whose owner ticks it; removing one here takes it from every chat.
 */
import { For, Show } from 'solid-js';
import type { SetStoreFunction } from 'solid-js/store';
import { LIMITS } from '../../../shared/limits.ts';
import type { SamplingPolicy, ServerFormState } from '../lib/server-form.ts';
import { controlAttributes, Field, FieldProblem, fieldId, problemId } from './Field.tsx';

const SAMPLING: { value: SamplingPolicy; label: string; help: string }[] = [
  { value: 'OFF', label: 'Off', help: 'The server is not offered the chat’s model.' },
  {
    value: 'ASK',
    label: 'Ask the person each time',
    help: 'The person sees each request and approves it, then sees the reply before it goes back.',
  },
  { value: 'ALLOWED', label: 'Allowed without asking', help: 'Requests are answered by the chat’s model without asking the person.' },
];
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
      <legend>What this server may ask</legend>
      <fieldset class="choice-list" id={fieldId('samplingPolicy')}>
        <legend class="field-label">Using the chat’s model (sampling)</legend>
        <For each={SAMPLING}>
          {(choice) => (
            <div class="choice">
              <input
                type="radio"
                id={`sampling-${choice.value}`}
                name="samplingPolicy"
                value={choice.value}
                checked={props.form.samplingPolicy === choice.value}
                aria-describedby={samplingHelpId(choice.value)}
                onChange={() => props.setForm('samplingPolicy', choice.value)}
              />
              <div>
                <label class="choice-label" for={`sampling-${choice.value}`}>
                  {choice.label}
                </label>
                <div class="muted small" id={samplingHelpId(choice.value)}>
                  {choice.help}
                </div>
              </div>
            </div>
          )}
        </For>
        <FieldProblem field="samplingPolicy" problem={props.problem('samplingPolicy')} />
      </fieldset>
      <Show when={props.form.samplingPolicy !== 'OFF'}>
        <Field field="samplingMaxTokens" label="Most tokens in one reply" problem={props.problem('samplingMaxTokens')}>
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
            Whatever the server asks for, a reply ends here (1 to 100,000).
          </span>
        </Field>
      </Show>

      <fieldset class="choice-list" id={fieldId('allowedRoots')} aria-describedby={ROOTS_HELP_ID}>
        <legend class="field-label">Folders people may let it see (roots)</legend>
        <span class="muted small" id={ROOTS_HELP_ID}>
          file:// URIs with an absolute path, such as file:///srv/projects. Each chat offers the server only those its owner ticks; none by
          default.
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
                aria-label={`Folder ${index() + 1}: URI`}
                aria-invalid={props.problem('allowedRoots') ? 'true' : undefined}
                aria-describedby={props.problem('allowedRoots') ? problemId('allowedRoots') : undefined}
                value={root.uri}
                onInput={(e) => props.setForm('allowedRoots', index(), 'uri', e.currentTarget.value)}
              />
              <input
                class="input"
                type="text"
                maxLength={LIMITS.rootName}
                placeholder="Name people see (optional)"
                aria-label={`Folder ${index() + 1}: name`}
                value={root.name}
                onInput={(e) => props.setForm('allowedRoots', index(), 'name', e.currentTarget.value)}
              />
              <button class="button small" type="button" aria-label={`Remove folder ${index() + 1}`} onClick={() => removeRoot(index())}>
                Remove
              </button>
            </div>
          )}
        </For>
        <div class="row">
          <button class="button small" type="button" disabled={props.form.allowedRoots.length >= LIMITS.rootsPerServer} onClick={addRoot}>
            Add a folder
          </button>
        </div>
        <FieldProblem field="allowedRoots" problem={props.problem('allowedRoots')} />
      </fieldset>
    </fieldset>
  );
}

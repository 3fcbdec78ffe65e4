/**
 * Edits a tool call's arguments as JSON, checked as you type against the tool's input schema;
 * lists the fields the schema expects so the person need not guess.
 */
import { createEffect, createMemo, createSignal, For, onMount, Show } from 'solid-js';
import { unwrap } from 'solid-js/store';
import { checkArgumentsText, type ArgumentsCheck } from '../lib/check-arguments.ts';
import { t } from '../../../shared/i18n/t.ts';

interface FieldHint {
  name: string;
  type: string;
  required: boolean;
  description?: string;
}

export function ArgumentsEditor(props: {
  initial: Record<string, unknown>;
  schema: Record<string, unknown>;
  label: string;
  onChange: (check: ArgumentsCheck) => void;
}) {
  const initialText = JSON.stringify(props.initial, null, 2);
  const [text, setText] = createSignal(initialText);
  // A plain copy: the validator caches what it learns on the schema objects, which a store proxy ignores.
  const schema = structuredClone(unwrap(props.schema));
  const check = createMemo(() => checkArgumentsText(text(), schema));
  const problemsId = `problems-${Math.random().toString(36).slice(2)}`;
  createEffect(() => props.onChange(check()));
  let box!: HTMLTextAreaElement;
  // It replaces the Edit button the person just pressed: the focus goes into it, not to <body>.
  onMount(() => box.focus());
  const problems = () => {
    const result = check();
    return result.ok ? [] : result.problems;
  };
  return (
    <div class="arguments-editor">
      <textarea
        ref={box}
        class="input code-input"
        aria-label={props.label}
        aria-invalid={!check().ok}
        aria-describedby={problemsId}
        spellcheck={false}
        rows={Math.min(14, Math.max(4, text().split('\n').length + 1))}
        value={initialText}
        onInput={(e) => setText(e.currentTarget.value)}
      />
      <div id={problemsId} aria-live="polite">
        <Show when={problems().length > 0}>
          <ul class="problems">
            <For each={problems()}>{(problem) => <li>{problem}</li>}</For>
          </ul>
        </Show>
      </div>
      <Show when={fieldHints(schema).length > 0}>
        <details class="schema-hints">
          <summary>{t('argumentsEditor.expected')}</summary>
          <ul>
            <For each={fieldHints(schema)}>
              {(field) => (
                <li>
                  <code>{field.name}</code>{' '}
                  <span class="muted">
                    ({field.type}
                    {field.required ? t('argumentsEditor.required') : ''})
                  </span>
                  <Show when={field.description}> — {field.description}</Show>
                </li>
              )}
            </For>
          </ul>
        </details>
      </Show>
    </div>
  );
}

function fieldHints(schema: Record<string, unknown>): FieldHint[] {
  const properties = (schema.properties ?? {}) as Record<string, { type?: unknown; description?: unknown }>;
  const required = Array.isArray(schema.required) ? (schema.required as string[]) : [];
  return Object.entries(properties).map(([name, property]) => ({
    name,
    type: Array.isArray(property.type) ? property.type.join(' | ') : String(property.type ?? 'any'),
    required: required.includes(name),
    description: typeof property.description === 'string' ? property.description : undefined,
  }));
}

/**
 * A labelled form field with room for the problem the API found in it: the problem is shown under
 * the control and read with it (aria-describedby), and the control is marked invalid meanwhile.
 */
import { type JSX, Show } from 'solid-js';

export const fieldId = (field: string) => `field-${field}`;
export const problemId = (field: string) => `field-${field}-problem`;

/** The attributes that tie a control to its label and its problem; `describedBy` adds help text ids. */
export function controlAttributes(field: string, problem: string | undefined, ...describedBy: string[]) {
  const ids = problem ? [...describedBy, problemId(field)] : describedBy;
  return { id: fieldId(field), 'aria-invalid': problem ? ('true' as const) : undefined, 'aria-describedby': ids.join(' ') || undefined };
}

export function FieldProblem(props: { field: string; problem: string | undefined }) {
  return (
    <Show when={props.problem}>
      <span class="field-problem" id={problemId(props.field)}>
        {props.problem}
      </span>
    </Show>
  );
}

export function Field(props: { field: string; label: JSX.Element; problem: string | undefined; class?: string; children: JSX.Element }) {
  return (
    <div class={props.class ? `field ${props.class}` : 'field'}>
      <label class="field-label" for={fieldId(props.field)}>
        {props.label}
      </label>
      {props.children}
      <FieldProblem field={props.field} problem={props.problem} />
    </div>
  );
}

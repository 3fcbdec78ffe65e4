/**
 * The list a composer picker shows (prompts after `/`, resources after `@`): an ARIA listbox whose
 * active option the field that owns it names with `aria-activedescendant`, so focus stays in the
 * field while arrows move through the options. A click chooses without taking focus away.
 */
import { For, Show } from 'solid-js';

export interface PickerOption {
  label: string;
  /** Where it comes from and what it is, in a line. */
  detail: string;
}

/** The id of the option at `index` of the list `listId`. */
export const optionId = (listId: string, index: number) => `${listId}-option-${index}`;

export function PickerList(props: {
  id: string;
  label: string;
  options: PickerOption[];
  active: number;
  onChoose: (index: number) => void;
  onActive: (index: number) => void;
  /** Said when there are no options (still loading, or nothing matches). */
  empty: string;
  /** Lines about the list itself: a server that could not list, options not shown. */
  notes: string[];
}) {
  return (
    <div class="picker">
      <div class="picker-options" role="listbox" id={props.id} aria-label={props.label}>
        <For each={props.options}>
          {(option, index) => (
            // biome-ignore lint/a11y/useFocusableInteractive: focus stays in the field that owns the list, which names the active option with aria-activedescendant.
            <div
              role="option"
              id={optionId(props.id, index())}
              class="picker-option"
              aria-selected={index() === props.active}
              onMouseDown={(e) => {
                e.preventDefault();
                props.onChoose(index());
              }}
              onMouseEnter={() => props.onActive(index())}
            >
              <span class="picker-label">{option.label}</span>
              <span class="picker-detail">{option.detail}</span>
            </div>
          )}
        </For>
      </div>
      <Show when={props.options.length === 0}>
        <p class="picker-note">{props.empty}</p>
      </Show>
      <For each={props.notes}>{(note) => <p class="picker-note">{note}</p>}</For>
    </div>
  );
}

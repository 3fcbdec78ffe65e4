/**
 * The frame the console's lists share: a caption for screen readers, a header row and a row for
 * when there is nothing to list, whose colspan comes from the columns so it cannot miss one.
 */
import { For, Index, type JSX, Show } from 'solid-js';

/** A column's header; a visually hidden one (the actions column) is there for screen readers only. */
export type Column = { label: string; visuallyHidden?: boolean };

export function DataTable<T>(props: {
  caption: string;
  columns: Column[];
  rows: readonly T[] | undefined | null | false;
  empty: JSX.Element;
  children: (row: T) => JSX.Element;
}) {
  return (
    <table class="table">
      <caption class="sr-only">{props.caption}</caption>
      <thead>
        <tr>
          <Index each={props.columns}>
            {(column) => (
              <th scope="col">
                <Show when={column().visuallyHidden} fallback={column().label}>
                  <span class="sr-only">{column().label}</span>
                </Show>
              </th>
            )}
          </Index>
        </tr>
      </thead>
      <tbody>
        <For
          each={props.rows}
          fallback={
            <tr>
              <td colspan={props.columns.length}>{props.empty}</td>
            </tr>
          }
        >
          {props.children}
        </For>
      </tbody>
    </table>
  );
}

/**
 * Runs one request at a time for a button or form, keeping "busy" and the last failure for the page
 * to show: as a sentence (`error`), or as it was thrown (`failure`), for a form that places each
 * problem next to its field.
 */
import { createSignal } from 'solid-js';
import { describeError } from './api.ts';

export function createAction<Args extends unknown[], Result>(run: (...args: Args) => Promise<Result>) {
  const [busy, setBusy] = createSignal(false);
  const [failure, setFailure] = createSignal<unknown>();
  const perform = async (...args: Args): Promise<Result | undefined> => {
    setBusy(true);
    setFailure(undefined);
    try {
      return await run(...args);
    } catch (thrown) {
      setFailure(() => thrown);
      return undefined;
    } finally {
      setBusy(false);
    }
  };
  const error = () => (failure() === undefined ? null : describeError(failure()));
  return { perform, busy, error, failure, clearError: () => setFailure(undefined) };
}

/** Runs one request at a time for a button or form, keeping "busy" and the last error for the page to show. */
import { createSignal } from 'solid-js';
import { describeError } from './api.ts';

export function createAction<Args extends unknown[], Result>(run: (...args: Args) => Promise<Result>) {
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  const perform = async (...args: Args): Promise<Result | undefined> => {
    setBusy(true);
    setError(null);
    try {
      return await run(...args);
    } catch (failure) {
      setError(describeError(failure));
      return undefined;
    } finally {
      setBusy(false);
    }
  };
  return { perform, busy, error, clearError: () => setError(null) };
}

/**
 * The sidebar's search over the person's chat titles and message text (`chats.search`): what was
 * typed, and the results of the last search made of it.
 */
import { createStore } from 'solid-js/store';
import type { ChatSearchResult } from '../../../shared/chats.ts';
import { api } from '../api/client.ts';
import { errorMessage, goToSignIn, isSignedOut } from '../api/errors.ts';

interface SearchState {
  query: string;
  results: ChatSearchResult[];
  /** The query the results are for: while it differs from `query`, a search is under way. */
  searched: string;
  loading: boolean;
  error: string | null;
}

const [state, setState] = createStore<SearchState>({ query: '', results: [], searched: '', loading: false, error: null });
/** Answers to an older query must not overwrite a newer one's. */
let generation = 0;
let timer: ReturnType<typeof setTimeout> | undefined;

export const search = state;

/** True while the box holds a query: the sidebar shows results instead of the chat list. */
export const searching = () => state.query.trim() !== '';

export function setSearchQuery(text: string): void {
  setState('query', text);
  clearTimeout(timer);
  const mine = ++generation;
  if (!searching()) {
    setState({ results: [], searched: '', loading: false, error: null });
    return;
  }
  // Waits for a pause in typing, so each keystroke does not cost a request.
  timer = setTimeout(() => void run(mine, text.trim()), 200);
}

async function run(mine: number, query: string): Promise<void> {
  setState({ loading: true, error: null });
  try {
    const results = await api.chats.search.query({ query });
    if (mine === generation) setState({ results, searched: query });
  } catch (error) {
    if (isSignedOut(error)) goToSignIn();
    if (mine === generation) setState('error', errorMessage(error));
  } finally {
    if (mine === generation) setState('loading', false);
  }
}

/**
 * The person's sign-ins at catalogue servers behind OAuth ("Connected accounts"). Revoking one
 * also changes that server's state (it needs a sign-in again), so the servers are reloaded too.
 */
import { createStore } from 'solid-js/store';
import { api } from '../api/client.ts';
import { errorMessage } from '../api/errors.ts';
import type { McpAuthorisation } from '../api/types.ts';
import { loadServers } from './servers.ts';

interface AuthorisationsState {
  items: McpAuthorisation[];
  loaded: boolean;
  error: string | null;
}

const [state, setState] = createStore<AuthorisationsState>({ items: [], loaded: false, error: null });

export const authorisations = state;

export async function loadAuthorisations(): Promise<void> {
  try {
    setState({ items: await api.servers.authorisations.query(), loaded: true, error: null });
  } catch (error) {
    setState('error', errorMessage(error));
  }
}

/** Throws when the server refused, so the confirmation that asked can say why. */
export async function revokeAuthorisation(serverId: string): Promise<void> {
  try {
    await api.servers.revokeAuthorisation.mutate({ serverId });
  } finally {
    await Promise.all([loadAuthorisations(), loadServers()]);
  }
}

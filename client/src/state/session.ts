/**
 * Who is signed in and what the server runs with, from `session.initialize`, which also makes the
 * server set up this person's agent and reconnect their MCP servers. Loaded once per page.
 */
import { createResource } from 'solid-js';
import { api } from '../api/client.ts';
import { goToSignIn, isSignedOut } from '../api/errors.ts';

const [session, { refetch }] = createResource(async () => {
  try {
    return await api.session.initialize.mutate();
  } catch (error) {
    if (isSignedOut(error)) goToSignIn();
    throw error;
  }
});

export { session, refetch as retrySession };

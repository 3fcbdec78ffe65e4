/**
 * The prompts (`/`) and resources (`@`) the composer offers in one chat: fetched when a picker
 * opens (the last list shows at once while the new one comes), and again while it is open when a
 * server of the chat says its lists changed. The server keeps each connection's lists, so asking
 * again costs no server a request.
 */
import { createSignal } from 'solid-js';
import type { PromptListDto, ResourceListDto } from '../../../shared/servers.ts';
import { api } from '../api/client.ts';
import { errorMessage } from '../api/errors.ts';

export type ListKind = 'prompts' | 'resources';

export interface ComposerLists {
  prompts: () => PromptListDto | undefined;
  resources: () => ResourceListDto | undefined;
  /** Why the last fetch failed, in words. */
  error: () => string | null;
  /** A picker opened (or is open): fetch its list. */
  load: (kind: ListKind) => Promise<void>;
  /** A server of the chat changed its lists: an open picker fetches again. */
  changed: () => void;
  /** Which picker is open, so a change refreshes it; null when none is. */
  setOpen: (kind: ListKind | null) => void;
}

export function createComposerLists(chatId: string): ComposerLists {
  const [prompts, setPrompts] = createSignal<PromptListDto>();
  const [resources, setResources] = createSignal<ResourceListDto>();
  const [error, setError] = createSignal<string | null>(null);
  let open: ListKind | null = null;
  // Each fetch of a kind is numbered: an answer overtaken by a newer fetch is dropped.
  const latest = { prompts: 0, resources: 0 };

  async function load(kind: ListKind): Promise<void> {
    const asked = ++latest[kind];
    try {
      if (kind === 'prompts') {
        const list = await api.servers.prompts.query({ chatId });
        if (asked === latest.prompts) setPrompts(list);
      } else {
        const list = await api.servers.resources.query({ chatId });
        if (asked === latest.resources) setResources(list);
      }
      setError(null);
    } catch (cause) {
      if (asked === latest[kind]) setError(errorMessage(cause));
    }
  }

  return {
    prompts,
    resources,
    error,
    load,
    changed: () => {
      if (open) void load(open);
    },
    setOpen: (kind) => {
      open = kind;
    },
  };
}

/** The server's suggestions for what is typed into an argument of a prompt or a variable of a template; a failure only means none. */
export async function suggestionsFor(
  serverId: string,
  ref: { type: 'prompt'; name: string } | { type: 'resource'; uri: string },
  argument: { name: string; value: string },
  context: Record<string, string>,
): Promise<string[]> {
  try {
    return (await api.servers.complete.mutate({ serverId, ref, argument, context })).values;
  } catch {
    return [];
  }
}

/** A catalogue model as people see it when choosing one for a chat (`models.list`): no address, no key. */
export interface ModelDto {
  id: string;
  name: string;
  /** The model chats use when their owner has chosen none. */
  isDefault: boolean;
  acceptsImages: boolean;
  supportsToolCalls: boolean;
  /** Tokens the model reads at once; null: not stated. */
  contextWindow: number | null;
  /** The offline demo model, a rule-based stand-in: labelled as such in every client. */
  offlineDemo: boolean;
}

/**
 * The model a chat answers with, among those its owner may use: its own choice while it is one of
 * them, else the catalogue's default, else the first. The server runs each turn on it; the web
 * chat shows it.
 */
export function answeringModel<T extends { id: string; isDefault: boolean }>(
  usable: readonly T[],
  chosen: string | null | undefined,
): T | undefined {
  return usable.find((model) => model.id === chosen) ?? usable.find((model) => model.isDefault) ?? usable[0];
}

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

/**
 * Which catalogue model wrote an answer, by the name it had then: kept in the answer's metadata
 * so the chat shows it for good, though the chat may switch models or an admin rename one later.
 * The endpoint's own model name (`model_name`) says only what the provider calls it.
 */
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import type { AIMessage } from '@langchain/core/messages';

export interface CatalogueModelRef {
  id: string;
  name: string;
}

const ANSWERED_BY = 'countersign_model';

/** The catalogue entry each built model client stands for (chat-models.ts builds one per entry). */
const entries = new WeakMap<BaseChatModel, CatalogueModelRef>();

export function markCatalogueModel(model: BaseChatModel, ref: CatalogueModelRef): BaseChatModel {
  entries.set(model, { id: ref.id, name: ref.name });
  return model;
}

/** The metadata an answer by `model` carries: nothing for a model from outside the catalogue. */
export function answeredByMetadata(model: BaseChatModel): Record<string, CatalogueModelRef> {
  const ref = entries.get(model);
  return ref ? { [ANSWERED_BY]: ref } : {};
}

export function answeredBy(message: AIMessage): CatalogueModelRef | undefined {
  const ref = message.response_metadata?.[ANSWERED_BY] as Partial<CatalogueModelRef> | undefined;
  return typeof ref?.id === 'string' && typeof ref.name === 'string' ? { id: ref.id, name: ref.name } : undefined;
}

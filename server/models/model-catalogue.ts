/**
 * The models admins offer: adding, changing and removing them, one default among them, the API key
 * sealed before it is stored and opened only to build a model client. The LLM_* settings seed the
 * first entry, so a deployment configured before the catalogue keeps its model.
 */
import type { Config } from '../config.ts';
import type { TokenCipher } from '../crypto/token-cipher.ts';
import { DomainError } from '../domain-error.ts';
import type { ModelSettings } from '../llm/endpoint.ts';
import { modelInfo } from '../llm/model-info.ts';
import type { Logger } from '../log.ts';
import { type ModelFields, parseModelFields } from './model-fields.ts';
import type { ModelRow, ModelRowFields, ModelStore } from './model-store.ts';

/** What an admin gives: the fields, and the API key in the clear (absent keeps the stored one; null or blank removes it). */
export type ModelInput = Partial<ModelFields> & { apiKey?: string | null };

/** The seeded entry's id, the same on every instance, so two starting at once seed it once. */
export const SEEDED_MODEL_ID = 'settings';
const MAX_API_KEY = 4_096;

const keyContext = (modelId: string) => `model-api-key:${modelId}`;

export class ModelCatalogue {
  constructor(
    private readonly store: ModelStore,
    private readonly cipher: TokenCipher,
    private readonly log: Logger,
  ) {}

  list(): Promise<ModelRow[]> {
    return this.store.list();
  }

  get(id: string): Promise<ModelRow | undefined> {
    return this.store.get(id);
  }

  async require(id: string): Promise<ModelRow> {
    const row = await this.store.get(id);
    if (!row) throw new DomainError('not_found', `Model ${id} was not found`);
    return row;
  }

  async create(input: ModelInput): Promise<ModelRow> {
    const id = crypto.randomUUID();
    const fields = this.compose(id, undefined, input);
    await this.#assertNameFree(fields.name);
    await this.store.insert(id, fields);
    if (fields.isDefault) await this.store.clearOtherDefaults(id);
    this.log.info('model added to the catalogue', { modelId: id, name: fields.name, provider: fields.provider });
    return this.require(id);
  }

  async update(id: string, patch: ModelInput): Promise<ModelRow> {
    const current = await this.require(id);
    const fields = this.compose(id, current, patch);
    if (fields.name !== current.name) await this.#assertNameFree(fields.name);
    const row = await this.store.update(id, fields);
    if (!row) throw new DomainError('not_found', `Model ${id} was not found`);
    if (fields.isDefault) await this.store.clearOtherDefaults(id);
    return row;
  }

  async delete(id: string): Promise<void> {
    if (!(await this.store.delete(id))) throw new DomainError('not_found', `Model ${id} was not found`);
    this.log.info('model removed from the catalogue', { modelId: id });
  }

  /**
   * The stored row a patch over `current` (or a new entry) makes, the key sealed for `id`. A stored
   * key is not sent to a new address: changing the base URL or provider needs the key given again.
   */
  compose(id: string, current: ModelRow | undefined, patch: ModelInput): ModelRowFields {
    const { apiKey, ...given } = patch;
    const fields = parseModelFields({ ...(current && withoutKey(current)), ...defined(given) });
    const moved = current !== undefined && (fields.baseUrl !== current.baseUrl || fields.provider !== current.provider);
    if (apiKey === undefined && moved && current?.apiKey && fields.provider === 'openai')
      throw new DomainError('invalid', 'apiKey: give the key again (or null for none) when changing the base URL or provider');
    if (apiKey != null && apiKey.length > MAX_API_KEY) throw new DomainError('invalid', `apiKey: at most ${MAX_API_KEY} characters`);
    const plain = apiKey === undefined ? undefined : apiKey?.trim() || null;
    const sealed = plain === undefined ? (current?.apiKey ?? null) : plain && this.cipher.seal(plain, keyContext(id));
    // Only the openai provider sends a key; the others would carry a stale one.
    return { ...fields, apiKey: fields.provider === 'openai' ? sealed : null };
  }

  /** How to reach the model (its key opened), for endpointFor. */
  settingsOf(id: string, row: ModelRowFields): ModelSettings {
    return {
      provider: row.provider,
      baseUrl: row.baseUrl,
      model: row.modelId,
      apiKey: row.apiKey && this.cipher.open(row.apiKey, keyContext(id)),
      tokenScope: row.tokenScope,
      acceptsImages: row.acceptsImages,
    };
  }

  /** Adds the LLM_* settings' model as the default when the catalogue is empty (a new deployment, or one from before it). */
  async seed(llm: Config['llm']): Promise<void> {
    if ((await this.store.count()) > 0) return;
    let fields: ModelRowFields;
    try {
      fields = this.compose(SEEDED_MODEL_ID, undefined, {
        name: modelInfo(llm).label,
        provider: llm.provider,
        baseUrl: llm.baseUrl ?? null,
        modelId: llm.model ?? null,
        tokenScope: llm.tokenScope ?? null,
        acceptsImages: llm.acceptsImages,
        isDefault: true,
        apiKey: llm.apiKey ?? null,
      });
    } catch (error) {
      this.log.warn('the LLM_* settings make no catalogue model; add one in the console', { error });
      return;
    }
    if (await this.store.insert(SEEDED_MODEL_ID, fields))
      this.log.info('model catalogue seeded from the LLM_* settings', { name: fields.name });
  }

  async #assertNameFree(name: string): Promise<void> {
    if (await this.store.byName(name)) throw new DomainError('conflict', `A model named ${name} already exists`);
  }
}

function withoutKey(row: ModelRow): Omit<ModelRow, 'apiKey' | 'id' | 'createdAt' | 'updatedAt'> {
  const { apiKey: _key, id: _id, createdAt: _created, updatedAt: _updated, ...fields } = row;
  return fields;
}

/** The fields the patch gives; an absent one keeps the stored value. */
function defined<T extends object>(patch: T): Partial<T> {
  return Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined)) as Partial<T>;
}

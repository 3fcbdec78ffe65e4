/**
 * The model form's fields turned into the API's input, and back. The API key is write-only: an
 * edit form starts it empty, and leaving it empty keeps the stored one. Settings the chosen
 * provider does not use are cleared, so nothing stale is kept (or sent).
 */
import { t } from '../../../shared/i18n/t.ts';
import type { ResultOf, VariablesOf } from '../api/graphql.ts';
import type { ModelQuery, UpdateModel } from '../api/operations.ts';

export type ModelPatch = VariablesOf<typeof UpdateModel>['input'];
export type Model = NonNullable<ResultOf<typeof ModelQuery>['model']>;
export type Provider = Model['provider'];
export type Role = Model['allowedRoles'][number];

export const PROVIDERS: readonly Provider[] = ['OPENAI', 'AZURE_AD', 'DEMO'];
export const ROLES: readonly Role[] = ['USER', 'ADMIN'];

export interface ModelFormState {
  name: string;
  provider: Provider;
  baseUrl: string;
  modelId: string;
  /** A new key; empty keeps the stored one. */
  apiKey: string;
  /** Editing only: drop the stored key. */
  clearApiKey: boolean;
  tokenScope: string;
  /** Empty: not stated. */
  contextWindow: string;
  acceptsImages: boolean;
  supportsToolCalls: boolean;
  enabled: boolean;
  isDefault: boolean;
  /** False: only the ticked roles and the groups named may use it. */
  everyone: boolean;
  roles: Role[];
  /** Group ids or names, one per line or comma-separated. */
  groups: string;
}

export const emptyModelForm = (): ModelFormState => ({
  name: '',
  provider: 'OPENAI',
  baseUrl: '',
  modelId: '',
  apiKey: '',
  clearApiKey: false,
  tokenScope: '',
  contextWindow: '',
  acceptsImages: false,
  supportsToolCalls: true,
  enabled: true,
  isDefault: false,
  everyone: true,
  roles: [],
  groups: '',
});

export function modelFormFrom(model: Model): ModelFormState {
  return {
    ...emptyModelForm(),
    name: model.name,
    provider: model.provider,
    baseUrl: model.baseUrl ?? '',
    modelId: model.modelId ?? '',
    tokenScope: model.tokenScope ?? '',
    contextWindow: model.contextWindow === null ? '' : String(model.contextWindow),
    acceptsImages: model.acceptsImages,
    supportsToolCalls: model.supportsToolCalls,
    enabled: model.enabled,
    isDefault: model.isDefault,
    everyone: model.allowedRoles.length === 0 && model.allowedGroups.length === 0,
    roles: [...model.allowedRoles],
    groups: model.allowedGroups.join('\n'),
  };
}

/** Only OpenAI-compatible servers take a key; the demo model needs no address. */
export const usesKey = (provider: Provider) => provider === 'OPENAI';
export const usesAddress = (provider: Provider) => provider !== 'DEMO';
export const usesScope = (provider: Provider) => provider === 'AZURE_AD';

/** A stored key is not sent to a new address: the API wants it again (or removed) after such a change. */
export function needsKeyAgain(form: ModelFormState, stored: Model | null): boolean {
  if (!stored?.hasApiKey || !usesKey(form.provider) || form.clearApiKey || form.apiKey.trim()) return false;
  return form.provider !== stored.provider || form.baseUrl.trim() !== (stored.baseUrl ?? '');
}

/** Throws an Error naming the field when one cannot be read. */
export function toModelPatch(form: ModelFormState, stored: Model | null): ModelPatch {
  const contextWindow = form.contextWindow.trim() === '' ? null : Number(form.contextWindow);
  if (contextWindow !== null && !Number.isInteger(contextWindow)) throw new Error(t('console.modelForm.contextNotNumber'));
  const groups = form.everyone ? [] : groupsOf(form.groups);
  if (!form.everyone && form.roles.length === 0 && groups.length === 0) throw new Error(t('console.modelForm.noRoles'));
  const address = usesAddress(form.provider);
  const patch: ModelPatch = {
    name: form.name.trim(),
    provider: form.provider,
    baseUrl: address ? form.baseUrl.trim() || null : null,
    modelId: address ? form.modelId.trim() || null : null,
    tokenScope: usesScope(form.provider) ? form.tokenScope.trim() || null : null,
    contextWindow,
    acceptsImages: form.acceptsImages,
    supportsToolCalls: form.supportsToolCalls,
    enabled: form.enabled,
    isDefault: form.isDefault,
    allowedRoles: form.everyone ? [] : ROLES.filter((role) => form.roles.includes(role)),
    allowedGroups: groups,
  };
  const key = form.apiKey.trim();
  if (!usesKey(form.provider) || (stored && form.clearApiKey)) patch.apiKey = null;
  else if (key || !stored) patch.apiKey = key || null;
  return patch;
}

/** The groups typed one per line or comma-separated, blanks and repeats left out. */
const groupsOf = (text: string) => [
  ...new Set(
    text
      .split(/[\n,]/)
      .map((group) => group.trim())
      .filter(Boolean),
  ),
];

/** "Everyone", or the roles that may use a model ("Admins"); its groups are listed apart. */
export const whoMayUse = (roles: readonly Role[], groups: readonly string[]) =>
  roles.length === 0 && groups.length === 0
    ? t('console.models.everyone')
    : roles.map((role) => t(`console.models.roles.${role}`)).join(', ');

/** The model catalogue: entries (the API key write-only) and "Test model". */
import type { ModelProvider, Role } from '../../../db/schema.ts';
import type { ModelInput } from '../../models/model-catalogue.ts';
import type { ModelRow } from '../../models/model-store.ts';
import { testModel } from '../../agent/model-test.ts';
import { dayOf } from '../../models/usage-store.ts';
import { invalidInput } from '../errors.ts';
import type { AdminDeps } from './deps.ts';

interface ModelPatchInput {
  name?: string | null;
  provider?: ModelProvider | null;
  baseUrl?: string | null;
  modelId?: string | null;
  apiKey?: string | null;
  tokenScope?: string | null;
  contextWindow?: number | null;
  acceptsImages?: boolean | null;
  supportsToolCalls?: boolean | null;
  enabled?: boolean | null;
  isDefault?: boolean | null;
  allowedRoles?: Role[] | null;
  allowedGroups?: string[] | null;
}

type Id = { id: string };
const DAY_MS = 86_400_000;
/** A year, leap day included: more is a scan admins can narrow. */
const MAX_USAGE_DAYS = 366;
/** A model tested before it is saved has no id yet; its key is sealed for this one. */
const TEST_ID = 'model-test';

/** The catalogue's input: absent fields stay absent, and so do null ones except where null clears. */
function toModelInput(patch: ModelPatchInput): ModelInput {
  const { supportsToolCalls, baseUrl, modelId, apiKey, tokenScope, contextWindow, ...rest } = patch;
  const out: ModelInput = Object.fromEntries(Object.entries(rest).filter(([, value]) => value != null));
  if (supportsToolCalls != null) out.toolCalls = supportsToolCalls;
  const clearable = { baseUrl, modelId, apiKey, tokenScope, contextWindow };
  for (const [field, value] of Object.entries(clearable)) {
    // A blank text clears like null, so an emptied form field removes the value.
    if (value !== undefined) Object.assign(out, { [field]: typeof value === 'string' && value.trim() === '' ? null : value });
  }
  return out;
}

export function modelResolvers({ models, modelConfig, usage, log }: AdminDeps) {
  return {
    Query: {
      models: () => models.list(),
      model: (_: unknown, { id }: Id) => models.get(id),
      usage: (_: unknown, { from, to }: { from: Date; to: Date }) => {
        const [first, last] = [dayOf(from), dayOf(to)];
        if (last < first) throw invalidInput('to', 'must not be before from');
        if (Date.parse(last) - Date.parse(first) >= MAX_USAGE_DAYS * DAY_MS)
          throw invalidInput('to', `must be within ${MAX_USAGE_DAYS} days of from`);
        return usage.between(first, last);
      },
    },
    Mutation: {
      createModel: (_: unknown, { input }: { input: ModelPatchInput }) => models.create(toModelInput(input)),
      updateModel: (_: unknown, { id, input }: Id & { input: ModelPatchInput }) => models.update(id, toModelInput(input)),
      deleteModel: async (_: unknown, { id }: Id) => {
        await models.delete(id);
        return id;
      },
      testModel: async (_: unknown, args: { input?: ModelPatchInput | null; modelId?: string | null }) => {
        if (!args.input && !args.modelId) throw invalidInput('testModel', 'give model settings (input), a saved model (modelId), or both');
        const saved = args.modelId ? await models.require(args.modelId) : undefined;
        const id = saved?.id ?? TEST_ID;
        // An unsaved model needs no name to be tested.
        const patch = { ...(saved ? {} : { name: 'Model test' }), ...toModelInput(args.input ?? {}) };
        const fields = models.compose(id, saved, patch);
        return testModel(models.settingsOf(id, fields), modelConfig, log.child({ feature: 'admin' }));
      },
    },
    Model: {
      hasApiKey: (row: ModelRow) => row.apiKey !== null,
      supportsToolCalls: (row: ModelRow) => row.toolCalls,
    },
  };
}

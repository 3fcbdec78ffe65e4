/**
 * A catalogue model's fields as admins give them, checked once for every way in (GraphQL, the
 * LLM_* seed): what each provider needs, URL shapes and sizes. The problems come back together,
 * each naming its field.
 */
import { z } from 'zod';
import type { ModelProvider, Role } from '../../db/schema.ts';
import { MAX_GROUP_LENGTH } from '../auth/group-claim.ts';
import { DomainError } from '../domain-error.ts';

const text = (max: number) => z.string().trim().min(1).max(max);
const httpUrl = z
  .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
  .max(2048)
  .refine((url) => !new URL(url).username && !new URL(url).password, 'must not carry a user name or password (give the key as apiKey)');

const fieldsSchema = z
  .object({
    name: text(80),
    provider: z.enum(['demo', 'openai', 'azure-ad'] satisfies ModelProvider[]),
    baseUrl: httpUrl.nullable().default(null),
    modelId: text(200).nullable().default(null),
    tokenScope: text(500).nullable().default(null),
    /** Between a small local model's and the largest offered today. */
    contextWindow: z.number().int().min(1_000).max(10_000_000).nullable().default(null),
    acceptsImages: z.boolean().default(false),
    toolCalls: z.boolean().default(true),
    enabled: z.boolean().default(true),
    isDefault: z.boolean().default(false),
    allowedRoles: z
      .array(z.enum(['user', 'admin'] satisfies Role[]))
      .max(2)
      .refine((roles) => new Set(roles).size === roles.length, 'names a role twice')
      .default([]),
    /** Group ids or names as ID tokens send them (Entra ID: object ids); members may use the model. No longer than a token's groups are kept (group-claim.ts): a longer one could never match. */
    allowedGroups: z
      .array(z.string().trim().min(1, 'must not be empty').max(MAX_GROUP_LENGTH, `must be at most ${MAX_GROUP_LENGTH} characters`))
      .max(50, 'may name at most 50 groups')
      .refine((groups) => new Set(groups).size === groups.length, 'names a group twice')
      .default([]),
  })
  .superRefine((fields, context) => {
    const need = (field: 'baseUrl' | 'tokenScope', why: string) => {
      if (!fields[field]) context.addIssue({ code: 'custom', path: [field], message: why });
    };
    if (fields.provider !== 'demo') need('baseUrl', `is needed for the ${fields.provider} provider`);
    if (fields.provider === 'azure-ad')
      need('tokenScope', 'is needed for the azure-ad provider (e.g. https://cognitiveservices.azure.com/.default)');
    if (fields.isDefault && !fields.enabled)
      context.addIssue({ code: 'custom', path: ['isDefault'], message: 'a disabled model cannot be the default' });
  });

export type ModelFields = z.output<typeof fieldsSchema>;

export function parseModelFields(input: unknown): ModelFields {
  const parsed = fieldsSchema.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || 'model'}: ${i.message}`);
    throw new DomainError('invalid', problems.join('; '));
  }
  // Only what the provider uses is kept, so a demo entry never carries a stale URL.
  const fields = parsed.data;
  if (fields.provider === 'demo') return { ...fields, baseUrl: null, modelId: null, tokenScope: null };
  return fields.provider === 'openai' ? { ...fields, tokenScope: null } : fields;
}

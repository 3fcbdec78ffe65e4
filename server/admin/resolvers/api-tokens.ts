/** Service API tokens: issue (the plain token is in that one answer), list, revoke. */
import { adminError, invalidInput, notFound } from '../errors.ts';
import type { AdminContext } from '../context.ts';
import { type AdminDeps, callerId } from './deps.ts';

interface IssueInput {
  label: string;
  userId?: string | null;
  serviceAccountName?: string | null;
  expiresInDays?: number | null;
}

const DAY_MS = 86_400_000;

export function apiTokenResolvers({ auth, log, users, tokens }: AdminDeps) {
  /** The account the token will act as: an existing user, or a service account made for it. */
  const subject = async (input: IssueInput) => {
    const name = input.serviceAccountName?.trim();
    if (Boolean(input.userId) === Boolean(name)) throw invalidInput('input', 'give exactly one of userId and serviceAccountName');
    if (name) {
      if (name.length > 80) throw invalidInput('serviceAccountName', 'must be at most 80 characters');
      return users.serviceAccount(name);
    }
    const user = await users.get(input.userId!);
    if (!user) throw notFound(`User ${input.userId}`);
    if (user.disabled) throw adminError('BAD_USER_INPUT', 'That user is disabled: a token acting as them would not work.');
    return user;
  };

  return {
    Query: {
      apiTokens: (_: unknown, args: { includeRevoked?: boolean | null }) => tokens.list(args.includeRevoked ?? false),
    },
    Mutation: {
      issueApiToken: async (_: unknown, { input }: { input: IssueInput }, context: AdminContext) => {
        const label = input.label.trim();
        if (!label || label.length > 80) throw invalidInput('label', 'must be 1 to 80 characters');
        const days = input.expiresInDays;
        if (days != null && (!Number.isInteger(days) || days < 1 || days > 3650))
          throw invalidInput('expiresInDays', 'must be between 1 and 3650');
        const account = await subject(input);
        const issued = await auth.issueApiTokenWithId(account.id, label, {
          createdBy: callerId(context),
          expiresAt: days != null ? new Date(Date.now() + days * DAY_MS) : null,
        });
        log.info('api token issued', { tokenId: issued.id, userId: account.id, by: callerId(context) });
        return { token: issued.token, apiToken: await tokens.get(issued.id) };
      },
      revokeApiToken: async (_: unknown, { id }: { id: string }) => {
        const token = await tokens.get(id);
        if (!token) throw notFound(`API token ${id}`);
        if (token.status !== 'revoked') await auth.revokeApiToken(id);
        return tokens.get(id);
      },
    },
  };
}

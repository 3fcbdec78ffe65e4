/** Users: search and paging, role, disable/enable, ending sessions. */
import type { Role } from '../../../db/schema.ts';
import type { AdminContext } from '../context.ts';
import { adminError, notFound } from '../errors.ts';
import { SERVICE_ACCOUNT_ISSUER, type UserRow } from '../stores/users.ts';
import { type AdminDeps, callerId, page } from './deps.ts';

type Id = { id: string };
const MAX_SEARCH = 200;

export function userResolvers({ auth, stopAgent, users }: AdminDeps) {
  const require = async (id: string): Promise<UserRow> => {
    const user = await users.get(id);
    if (!user) throw notFound(`User ${id}`);
    return user;
  };

  /** An admin locking themselves out has no admin left to let them back in. */
  const notSelf = (context: AdminContext, id: string, what: string) => {
    if (callerId(context) === id) throw adminError('BAD_USER_INPUT', `You cannot ${what} yourself; ask another admin.`);
  };

  return {
    Query: {
      users: (_: unknown, args: { search?: string | null; limit?: number | null; offset?: number | null }) => {
        const { limit, offset } = page(args.limit, args.offset, 25);
        const search = args.search?.trim().slice(0, MAX_SEARCH) || null;
        return users.list(search, limit, offset).then((result) => ({ ...result, limit, offset }));
      },
      user: (_: unknown, { id }: Id) => users.get(id),
    },
    Mutation: {
      setUserRole: async (_: unknown, { id, role }: Id & { role: Role }, context: AdminContext) => {
        if (role !== 'admin') notSelf(context, id, 'remove the admin role from');
        await require(id);
        await auth.setRole(id, role);
        return require(id);
      },
      setUserDisabled: async (_: unknown, { id, disabled }: Id & { disabled: boolean }, context: AdminContext) => {
        if (disabled) notSelf(context, id, 'disable');
        await require(id);
        if (disabled) {
          await auth.disableUser(id);
          // Their agent stops too: a run in flight would otherwise keep calling tools for them.
          await stopAgent(id);
        } else {
          await auth.enableUser(id);
        }
        return require(id);
      },
      endUserSessions: async (_: unknown, { id }: Id) => {
        await require(id);
        await auth.endSessions(id);
        return require(id);
      },
    },
    User: {
      configuredAdmin: (user: UserRow) => auth.isConfiguredAdmin(user),
      serviceAccount: (user: UserRow) => user.issuer === SERVICE_ACCOUNT_ISSUER,
      sessions: (user: UserRow) => users.sessionsOf(user.id, new Date()),
      connections: (user: UserRow) => users.connectionsOf(user.id),
    },
  };
}

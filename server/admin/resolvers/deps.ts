/** What the admin resolvers work with, built once per server. */
import type { AuthService } from '../../auth/auth-service.ts';
import type { Config } from '../../config.ts';
import type { Logger } from '../../log.ts';
import type { CatalogueService } from '../../mcp/catalogue.ts';
import type { ServerAuth } from '../../mcp/oauth/server-auth.ts';
import type { McpUserTokens } from '../../mcp-server/user-token.ts';
import type { ModelCatalogue } from '../../models/model-catalogue.ts';
import type { UsageStore } from '../../models/usage-store.ts';
import type { AdminContext } from '../context.ts';
import type { AdminApiTokenStore } from '../stores/api-tokens.ts';
import type { AdminAuditStore } from '../stores/audit.ts';
import type { AdminServerLogStore } from '../stores/server-logs.ts';
import type { AdminUserStore } from '../stores/users.ts';
import { invalidInput } from '../errors.ts';

export interface AdminDeps {
  auth: AuthService;
  catalogue: CatalogueService;
  /** Signs the admin's token for this server's own MCP server in a connection test. */
  userTokens: McpUserTokens;
  /** How connections to servers behind OAuth authenticate (a connection test uses the admin's own). */
  mcpAuth: ServerAuth;
  /** Forgets a person's tokens for a server and closes their live connections to it, on every instance. */
  revokeAuthorisation: (userId: string, serverId: string) => Promise<boolean>;
  /** The origin this server is reached at. */
  origin: () => string;
  /** Stops a person's agent at once, runs in flight included (the agent feature's own step). */
  stopAgent: (userId: string) => Promise<void>;
  log: Logger;
  users: AdminUserStore;
  audit: AdminAuditStore;
  tokens: AdminApiTokenStore;
  /** What MCP servers logged, kept per server. */
  serverLogs: AdminServerLogStore;
  models: ModelCatalogue;
  /** Tokens the models' answers used, per person, model and day. */
  usage: UsageStore;
  /** The silence limit and sign-in app a model test uses, as chats do. */
  modelConfig: Pick<Config, 'llm' | 'auth'>;
}

const MAX_PAGE_SIZE = 100;
/** Deep offsets cost a scan each; past this, narrow the filter instead. */
const MAX_OFFSET = 100_000;

export function page(limit: number | null | undefined, offset: number | null | undefined, defaultLimit: number) {
  const size = limit ?? defaultLimit;
  const from = offset ?? 0;
  if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE) throw invalidInput('limit', `must be between 1 and ${MAX_PAGE_SIZE}`);
  if (!Number.isInteger(from) || from < 0 || from > MAX_OFFSET) throw invalidInput('offset', `must be between 0 and ${MAX_OFFSET}`);
  return { limit: size, offset: from };
}

/** The calling admin's id. The guard has already refused everyone else before any resolver runs. */
export function callerId(context: AdminContext): string {
  if (!context.user) throw new Error('an admin resolver ran without a caller: the guard was bypassed');
  return context.user.id;
}

/**
 * Sign-ins at MCP authorisation servers that have started and not yet come back. The callback
 * has only the OAuth `state` to go on, and may reach any instance, so the rest (the PKCE
 * verifier, what discovery found, where to return) waits here, sealed, for at most FLOW_TTL_MS.
 * A flow is used once: taking it deletes it.
 */
import { and, desc, eq, gt, lt } from 'drizzle-orm';
import type { OAuthDiscoveryState } from '@modelcontextprotocol/client';
import type { AppDatabase } from '../../../db/database.ts';
import type { TokenCipher } from '../../crypto/token-cipher.ts';

export const FLOW_TTL_MS = 10 * 60_000;

export interface PendingFlow {
  state: string;
  userId: string;
  serverId: string;
  codeVerifier: string;
  discovery: OAuthDiscoveryState | undefined;
  /** Where the person's browser is sent; the authorisation server's own page. */
  authorizationUrl: string;
  /** The scope asked for, so the callback asks for the same one. */
  scope: string | undefined;
  /** A path on this server to come back to. */
  returnTo: string;
}

type Sealed = Omit<PendingFlow, 'state' | 'userId' | 'serverId'>;

const context = (state: string, userId: string, serverId: string) => `mcp-oauth-flow:${state}:${userId}:${serverId}`;

/**
 * When a flow starts: a millisecond after the last one this instance started if the clock has not
 * moved on, so two flows started in the same millisecond still have a newest for `latest` to find.
 */
let lastStart = 0;
function startTime(): Date {
  lastStart = Math.max(Date.now(), lastStart + 1);
  return new Date(lastStart);
}

export class FlowStore {
  constructor(
    private readonly db: AppDatabase,
    private readonly cipher: TokenCipher,
  ) {}

  async save(flow: PendingFlow): Promise<void> {
    const { mcpOauthFlows: t } = this.db.tables;
    const { state, userId, serverId } = flow;
    await this.db.drizzle.insert(t).values({ state, userId, serverId, flow: this.#seal(flow), createdAt: startTime() });
    // Flows nobody finished: cleared as new ones start, so the table stays as small as the traffic.
    await this.db.drizzle.delete(t).where(lt(t.createdAt, new Date(Date.now() - FLOW_TTL_MS)));
  }

  /** The flow `state` names, if it is still fresh; it is removed, so a callback replayed finds nothing. */
  async take(state: string): Promise<PendingFlow | undefined> {
    const { mcpOauthFlows: t } = this.db.tables;
    const [row] = await this.db.drizzle.delete(t).where(eq(t.state, state)).returning();
    if (!row || row.createdAt.getTime() < Date.now() - FLOW_TTL_MS) return undefined;
    return { state, userId: row.userId, serverId: row.serverId, ...this.#open(row) };
  }

  /** The newest fresh flow for a person and server, e.g. one a refused step-up started. */
  async latest(userId: string, serverId: string): Promise<PendingFlow | undefined> {
    const { mcpOauthFlows: t } = this.db.tables;
    const [row] = await this.db.drizzle
      .select()
      .from(t)
      .where(and(eq(t.userId, userId), eq(t.serverId, serverId), gt(t.createdAt, new Date(Date.now() - FLOW_TTL_MS))))
      .orderBy(desc(t.createdAt))
      .limit(1);
    return row && { state: row.state, userId, serverId, ...this.#open(row) };
  }

  async setReturnTo(flow: PendingFlow, returnTo: string): Promise<void> {
    const { mcpOauthFlows: t } = this.db.tables;
    await this.db.drizzle
      .update(t)
      .set({ flow: this.#seal({ ...flow, returnTo }) })
      .where(eq(t.state, flow.state));
  }

  #seal({ state, userId, serverId, ...rest }: PendingFlow): string {
    return this.cipher.seal(JSON.stringify(rest satisfies Sealed), context(state, userId, serverId));
  }

  #open(row: { state: string; userId: string; serverId: string; flow: string }): Sealed {
    return JSON.parse(this.cipher.open(row.flow, context(row.state, row.userId, row.serverId)));
  }
}

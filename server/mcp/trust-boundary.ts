/**
 * How far the operator lets admins reach through the catalogue (README, "Trust boundary"): the
 * programs stdio servers run (MCP_STDIO_COMMANDS), the environment variables secret headers read
 * (MCP_SECRET_ENV), and whether HTTP servers may sit on private addresses
 * (MCP_BLOCK_PRIVATE_ADDRESSES). Checked when an admin saves or tests an entry, and again at every
 * connect: a setting may be tightened after an entry was saved, and the seeded entries exist already.
 */
import type { FetchLike } from '@modelcontextprotocol/client';
import type { Config } from '../config.ts';
import { AddressGuard } from './address-guard.ts';
import { BoundaryError } from './boundary-error.ts';
import type { CatalogueFields } from './catalogue-store.ts';
import { checkSecretEnv } from './secrets.ts';
import { allowedStdioCommand } from './stdio-command.ts';

export type BoundaryLimits = Pick<Config['mcp'], 'allowedStdioCommands' | 'allowedSecretEnv' | 'blockPrivateAddresses'>;
type EntryReach = Pick<CatalogueFields, 'transport' | 'url' | 'command' | 'env' | 'secretHeaders'>;

export class TrustBoundary {
  /** What the settings mean when unset: any command, any variable, any address. */
  static readonly unlimited = new TrustBoundary(
    { allowedStdioCommands: undefined, allowedSecretEnv: undefined, blockPrivateAddresses: false },
    () => {
      throw new Error('an unlimited trust boundary checks no addresses');
    },
  );

  readonly #addresses: AddressGuard | undefined;

  constructor(
    readonly limits: BoundaryLimits,
    ownOrigin: () => string,
  ) {
    this.#addresses = limits.blockPrivateAddresses ? new AddressGuard(ownOrigin) : undefined;
  }

  /** The program a stdio entry runs (its real path when commands are limited); throws BoundaryError. */
  stdioCommand(entry: Pick<CatalogueFields, 'command' | 'env'>): string {
    return allowedStdioCommand(entry.command ?? '', entry.env ?? {}, this.limits.allowedStdioCommands);
  }

  /** The fetch for HTTP transports: undefined (the runtime's own) unless private addresses are refused. */
  get fetch(): FetchLike | undefined {
    return this.#addresses?.fetch;
  }

  /**
   * Every way an entry reaches past the limits, worded for admins; empty when it fits. A host
   * name that does not resolve yet passes: connecting checks it again.
   */
  async refusals(entry: EntryReach): Promise<string[]> {
    const checks: (() => unknown)[] = Object.entries(entry.secretHeaders ?? {}).map(
      ([header, reference]) =>
        () =>
          checkSecretEnv(header, reference, this.limits.allowedSecretEnv),
    );
    const { url } = entry;
    const addresses = this.#addresses;
    if (entry.transport === 'stdio') checks.push(() => this.stdioCommand(entry));
    else if (url && addresses) checks.push(() => addresses.check(new URL(url)));
    const refusals: string[] = [];
    for (const check of checks) {
      try {
        await check();
      } catch (error) {
        if (error instanceof BoundaryError) refusals.push(error.forAdmins());
      }
    }
    return refusals;
  }
}

/**
 * Limits on what one GraphQL document may ask for, checked before anything runs (GraphQL Armor's
 * validation rules). The console's largest query stays well inside each; an abusive one (deep
 * nesting, thousands of aliases, a huge document) is refused with a message naming the limit.
 */
import { costLimitPlugin } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';

export const LIMITS = {
  /**
   * The schema itself nests four levels at most (users → items → connections → serverName); only
   * introspection (`__type … ofType`) can go deeper. GraphiQL's `__schema` query is exempt.
   */
  depth: 10,
  /** Armor's cost (2 per object, 1 per scalar, times 1.5 per level); the console's largest query costs about 70. */
  cost: 1_000,
  aliases: 15,
  /** GraphiQL's introspection query is about 1,000 tokens. */
  tokens: 3_000,
};

export function limitPlugins() {
  return [
    maxDepthPlugin({ n: LIMITS.depth, flattenFragments: true }),
    costLimitPlugin({ maxCost: LIMITS.cost, flattenFragments: true }),
    maxAliasesPlugin({ n: LIMITS.aliases }),
    maxTokensPlugin({ n: LIMITS.tokens }),
  ];
}

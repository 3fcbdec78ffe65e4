/**
 * axe-core in a page of the real browser: the engine's source is evaluated in the page (through
 * the DevTools protocol, so the app's Content-Security-Policy neither blocks it nor logs a
 * violation), run against the WCAG 2.0 and 2.1 A and AA rules, and its violations grouped by
 * impact. A failure lists each serious or critical violation with what to fix and where.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { ImpactValue, Result } from 'axe-core';
import type { Page } from 'playwright-core';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const WCAG_A_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
type Impact = NonNullable<ImpactValue>;
const IMPACTS: Impact[] = ['critical', 'serious', 'moderate', 'minor'];

export type Violations = Record<Impact, Result[]>;

/** Runs axe on the whole page as it is now; `page` may already have it from an earlier run. */
export async function checkAccessibility(page: Page): Promise<Violations> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  const results = await page.evaluate(
    (tags) =>
      (window as unknown as { axe: typeof import('axe-core') }).axe.run(document, {
        runOnly: { type: 'tag', values: tags },
        resultTypes: ['violations'],
      }),
    WCAG_A_AA,
  );
  const grouped = Object.fromEntries(IMPACTS.map((impact) => [impact, [] as Result[]])) as Violations;
  for (const violation of results.violations) grouped[violation.impact ?? 'minor'].push(violation);
  return grouped;
}

/** "chat, light: critical 0, serious 0, moderate 1 (region), minor 0": the counts count affected elements. */
export function summary(state: string, violations: Violations): string {
  const counts = IMPACTS.map((impact) => {
    const found = violations[impact];
    const elements = found.reduce((sum, violation) => sum + violation.nodes.length, 0);
    return found.length ? `${impact} ${elements} (${found.map((violation) => violation.id).join(', ')})` : `${impact} 0`;
  });
  return `${state}: ${counts.join(', ')}`;
}

/** Every serious and critical violation, one paragraph each: the rule, what it asks, and each element with its HTML. */
export function seriousReport(violations: Violations): string {
  return [...violations.critical, ...violations.serious]
    .map((violation) =>
      [
        `${violation.impact} ${violation.id}: ${violation.help} (${violation.helpUrl})`,
        ...violation.nodes.map(
          (node) =>
            `  at ${node.target.join(' ')}\n    ${node.html.slice(0, 200)}\n    ${node.failureSummary?.replaceAll('\n', '\n    ') ?? ''}`,
        ),
      ].join('\n'),
    )
    .join('\n\n');
}

/**
 * Checks the page and prints its one-line summary (quoted per page in the issue's closing note);
 * returns the serious and critical violations' report, empty when there are none.
 */
export async function accessibilityProblems(page: Page, state: string): Promise<string> {
  const violations = await checkAccessibility(page);
  console.log(`axe ${summary(state, violations)}`);
  const report = seriousReport(violations);
  return report && `axe found serious or critical violations in ${state}:\n\n${report}`;
}

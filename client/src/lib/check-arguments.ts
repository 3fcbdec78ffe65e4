/**
 * Reads the argument editor's text and checks it with the server's own checker, so the person
 * sees the problem next to the editor; the server checks again and has the last word.
 */
import { checkArguments } from '../../../shared/check-arguments.ts';
import { t } from '../../../shared/i18n/t.ts';

export type ArgumentsCheck = { ok: true; value: Record<string, unknown> } | { ok: false; problems: string[] };

export function checkArgumentsText(text: string, schema: Record<string, unknown>): ArgumentsCheck {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, problems: [t('argumentsCheck.notJson', error instanceof Error ? error.message : String(error))] };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, problems: [t('argumentsCheck.notObject')] };
  }
  const args = value as Record<string, unknown>;
  try {
    const check = checkArguments(schema, args);
    return check.ok ? { ok: true, value: args } : check;
  } catch {
    // A schema this validator cannot read: leave the verdict to the server.
    return { ok: true, value: args };
  }
}

/**
 * The admin API starts each refusal of a server definition with the field it is about ("url: must
 * be an http(s) URL", "secretHeaders.X-Api-Key: …", several joined by "; "), so a form can show
 * each problem next to its field. Problems about a field the form does not show stay general.
 */
import { t } from '../../../shared/i18n/t.ts';
import { AdminRequestError } from '../api/client.ts';
import { describeError } from './api.ts';

export interface FieldProblems {
  /** By field (the first part of its name), what is wrong, without the field's own name. */
  fields: Record<string, string>;
  /** What belongs to no field shown, for the top of the form; null when every problem has its field. */
  general: string | null;
}

const PROBLEM = /^([A-Za-z]+)(?:\.([^:]+))?: (.+)$/s;

export function fieldProblems(failure: unknown, shown: ReadonlySet<string>): FieldProblems {
  if (failure === undefined) return { fields: {}, general: null };
  if (!(failure instanceof AdminRequestError) || failure.code !== 'BAD_USER_INPUT') return { fields: {}, general: describeError(failure) };
  const fields: Record<string, string> = {};
  const general: string[] = [];
  for (const problem of failure.errors.flatMap((e) => e.message.split('; '))) {
    const [, field, detail, message] = PROBLEM.exec(problem) ?? [];
    if (!field || !message || !shown.has(field)) {
      general.push(problem);
      continue;
    }
    const said = detail ? `${detail}: ${message}` : message;
    fields[field] = fields[field] ? `${fields[field]} ${said}` : said;
  }
  return { fields, general: general.length > 0 ? general.join(' ') : null };
}

/** The sentence for the top of a form: what belongs to no field, else a pointer to the fields marked. */
export function formProblem(problems: FieldProblems): string | null {
  return problems.general ?? (Object.keys(problems.fields).length > 0 ? t('console.common.fieldsMarked') : null);
}

/**
 * The server's short reason for asking (from the tool policy) in words for the person. Reasons
 * this list does not know are shown as the server wrote them.
 */
import { t } from '../../../shared/i18n/t.ts';

const known: Record<string, () => string> = {
  'policy: ask': () => t('approvalReason.policyAsk'),
  'your setting: ask': () => t('approvalReason.yourSettingAsk'),
  'destructive tool': () => t('approvalReason.destructive'),
};

export function describeReason(reason: string): string {
  return known[reason]?.() ?? reason;
}

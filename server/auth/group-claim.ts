/**
 * The groups an ID token names: Entra ID sends group object ids in `groups` (when the app
 * registration emits them), other providers may send names. Bounded, so a token cannot make a
 * person's row arbitrarily large. When a person is in too many groups Entra ID sends none and points
 * at Microsoft Graph instead (`_claim_names.groups`, "groups overage"): reading Graph needs a
 * permission Countersign does not ask for, so that person is in no group here.
 */
export const MAX_GROUPS = 200;
export const MAX_GROUP_LENGTH = 200;

export interface GroupClaim {
  groups: string[];
  /** Entra ID's groups overage: the token names no groups because there are too many. */
  overage: boolean;
  /** Entries left out: not text, blank, too long, repeated, or past MAX_GROUPS. */
  ignored: number;
}

export function readGroupClaim(payload: Record<string, unknown>): GroupClaim {
  const claimNames = payload._claim_names;
  const overage = typeof claimNames === 'object' && claimNames !== null && 'groups' in claimNames;
  const raw = payload.groups;
  const entries: unknown[] = Array.isArray(raw) ? raw : typeof raw === 'string' ? [raw] : [];
  const groups = new Set<string>();
  for (const entry of entries) {
    if (groups.size === MAX_GROUPS) break;
    const group = typeof entry === 'string' ? entry.trim() : '';
    if (group && group.length <= MAX_GROUP_LENGTH) groups.add(group);
  }
  return { groups: [...groups], overage, ignored: entries.length - groups.size };
}

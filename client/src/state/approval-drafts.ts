/**
 * What the person chose so far on an approval of several calls, before sending: kept in the
 * tab's sessionStorage under the approval's interrupt id, so a reload does not throw the choices
 * away. A decided (or superseded) approval's draft is dropped; the interrupt id never comes back.
 */
import type { ApprovalDecision } from '../api/types.ts';

export interface ApprovalDraft {
  choices: Record<string, ApprovalDecision | undefined>;
  alwaysAllow: Record<string, boolean>;
}

const keyOf = (interruptId: string) => `countersign.approval-draft.${interruptId}`;

export function loadApprovalDraft(interruptId: string): ApprovalDraft {
  try {
    const saved = JSON.parse(sessionStorage.getItem(keyOf(interruptId)) ?? 'null') as Partial<ApprovalDraft> | null;
    return { choices: saved?.choices ?? {}, alwaysAllow: saved?.alwaysAllow ?? {} };
  } catch {
    // Storage refused (private mode) or a draft garbled by hand: start afresh.
    return { choices: {}, alwaysAllow: {} };
  }
}

export function saveApprovalDraft(interruptId: string, draft: ApprovalDraft): void {
  try {
    sessionStorage.setItem(keyOf(interruptId), JSON.stringify(draft));
  } catch {
    // Storage full or refused: the draft lives on in the page, only a reload loses it.
  }
}

export function clearApprovalDraft(interruptId: string): void {
  sessionStorage.removeItem(keyOf(interruptId));
}

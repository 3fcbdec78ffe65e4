/**
 * Whether a card that just appeared (an approval, a server's question) may take the focus: not
 * while the person is busy elsewhere, writing, in another such card, or in a dialog.
 */
export function mayTakeFocus(): boolean {
  const active = document.activeElement;
  if (!active || active === document.body) return true;
  if (active.closest('.approval-card, dialog')) return false;
  return !((active instanceof HTMLInputElement || active instanceof HTMLTextAreaElement) && active.value !== '');
}

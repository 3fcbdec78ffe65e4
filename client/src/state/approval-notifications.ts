/**
 * Browser notifications of approvals that arrive while the tab is hidden. Permission is asked only
 * when the person turns them on (a click: browsers refuse a request without a gesture, and asking on
 * page load is rude); the choice is remembered on this device. Each notification is tagged with the
 * approval's id, so several open tabs show one notification per approval, not one each.
 */
import { createSignal } from 'solid-js';
import type { InboxEntry } from '../../../shared/chats.ts';
import { t } from '../../../shared/i18n/t.ts';
import { shownTitle } from '../lib/chat-title.ts';

const CHOICE_KEY = 'countersign.notify-approvals';

export const notificationsSupported = () => 'Notification' in window;

const granted = () => notificationsSupported() && Notification.permission === 'granted';
const [wanted, setWanted] = createSignal(localStorage.getItem(CHOICE_KEY) === 'on' && granted());
/** Blocked in the browser's settings: asking again would not show a prompt. */
const [blocked, setBlocked] = createSignal(notificationsSupported() && Notification.permission === 'denied');

export const notifying = wanted;
export const notificationsBlocked = blocked;

/** Turns notifications on (asking for permission, from the person's click) or off. */
export async function setNotifying(on: boolean): Promise<void> {
  const allowed = on && (granted() || (await Notification.requestPermission()) === 'granted');
  setBlocked(Notification.permission === 'denied');
  localStorage.setItem(CHOICE_KEY, allowed ? 'on' : 'off');
  setWanted(allowed);
}

/** Tells of a newly waiting approval, if the person asked to be told and is looking elsewhere. */
export function notifyApproval(entry: InboxEntry, open: (chatId: string) => void): void {
  if (!wanted() || !granted() || !document.hidden) return;
  const notification = new Notification(shownTitle(entry.chatTitle), {
    body: t('inbox.notification', entry.tools.join(', ')),
    tag: entry.interruptId,
  });
  notification.onclick = () => {
    window.focus();
    open(entry.chatId);
    notification.close();
  };
}

/**
 * Follows the person's changes to their chats (`chats.changes`) for as long as the page is open:
 * the chat list and the approval inbox of every tab stay as the server has them, whichever tab or
 * instance made the change, without polling. The WebSocket client resubscribes after a drop with
 * the last event id it delivered, and the server replays what was missed; a `reset` (too much was
 * missed) reloads both.
 */
import type { PersonEvent } from '../../../shared/chats.ts';
import { api } from '../api/client.ts';
import { goToSignIn, isSignedOut } from '../api/errors.ts';
import { notifyApproval } from './approval-notifications.ts';
import { forgetChat, loadChats, placeChat } from './chats.ts';
import { applyInboxChange, loadInbox, renameInInbox } from './inbox.ts';
import { chatPath, navigate } from './route.ts';

/** Starts following; returns the function that stops. */
export function followPersonChanges(): () => void {
  const subscription = api.chats.changes.subscribe(
    {},
    {
      // On every (re)start: whatever changed before the stream began is in what this loads.
      onStarted: () => void loadInbox(),
      onData: ({ data }) => {
        if (data.type === 'reset') {
          void loadChats();
          void loadInbox();
        } else apply(data);
      },
      onError: (error) => {
        if (isSignedOut(error)) goToSignIn();
      },
    },
  );
  return () => subscription.unsubscribe();
}

function apply(event: PersonEvent): void {
  switch (event.type) {
    case 'chat_created':
    case 'chat_updated':
      placeChat(event.chat);
      renameInInbox(event.chat.id, event.chat.title);
      break;
    case 'chat_deleted':
      forgetChat(event.chatId);
      applyInboxChange(event.chatId, null);
      break;
    case 'inbox_changed':
      if (applyInboxChange(event.chatId, event.entry) && event.entry) notifyApproval(event.entry, (chatId) => navigate(chatPath(chatId)));
      break;
  }
}

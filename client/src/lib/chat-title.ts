/** A chat's title as the web chat shows it: an untitled chat's in the person's language (shared/chat-title.ts). */
import { DEFAULT_CHAT_TITLE } from '../../../shared/chat-title.ts';
import { t } from '../../../shared/i18n/t.ts';

export function shownTitle(title: string): string {
  return title === DEFAULT_CHAT_TITLE ? t('chat.defaultTitle') : title;
}

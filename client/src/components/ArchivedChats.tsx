/** The sidebar's "Archived chats": shown on request, each openable and unarchivable (back to the list). */
import { createSignal, For, Show } from 'solid-js';
import { errorMessage } from '../api/errors.ts';
import { archiveChat, archivedChats, loadArchivedChats } from '../state/chats.ts';
import { chatPath, navigate } from '../state/route.ts';
import { t } from '../../../shared/i18n/t.ts';
import { shownTitle } from '../lib/chat-title.ts';

export function ArchivedChats(props: { onOpen: () => void }) {
  const [open, setOpen] = createSignal(false);
  const [loaded, setLoaded] = createSignal(false);
  const [problem, setProblem] = createSignal<string | null>(null);
  const attempt = async (action: () => Promise<void>) => {
    setProblem(null);
    try {
      await action();
    } catch (error) {
      setProblem(errorMessage(error));
    }
  };
  const toggle = async () => {
    setOpen(!open());
    if (open()) {
      await attempt(loadArchivedChats);
      setLoaded(true);
    }
  };

  return (
    <div class="archived-chats">
      <button
        type="button"
        class="link-button archived-toggle"
        aria-expanded={open()}
        aria-controls="archived-chats"
        onClick={() => void toggle()}
      >
        {t('archived.toggle')}
      </button>
      <Show when={open()}>
        <div id="archived-chats">
          <Show when={problem()}>
            <p class="inline-error" role="alert">
              {problem()}
            </p>
          </Show>
          <ul class="chat-list" aria-label={t('archived.toggle')} aria-busy={!loaded()}>
            <For each={archivedChats()}>
              {(chat) => (
                <li class="chat-item">
                  <a
                    class="chat-link"
                    href={chatPath(chat.id)}
                    title={shownTitle(chat.title)}
                    onClick={(event) => {
                      if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
                      event.preventDefault();
                      navigate(chatPath(chat.id));
                      props.onOpen();
                    }}
                  >
                    {shownTitle(chat.title)}
                  </a>
                  <button
                    type="button"
                    class="link-button small-text unarchive"
                    aria-label={t('archived.unarchiveChat', shownTitle(chat.title))}
                    onClick={() => void attempt(() => archiveChat(chat.id, false))}
                  >
                    {t('archived.unarchive')}
                  </button>
                </li>
              )}
            </For>
          </ul>
          <Show when={loaded() && !problem() && archivedChats().length === 0}>
            <p class="muted small-text list-empty">{t('archived.empty')}</p>
          </Show>
        </div>
      </Show>
    </div>
  );
}

/**
 * A link a server wants the person to open (to sign in somewhere, pay, consent). The domain it
 * leads to is shown in full, and the whole URL; it opens in a new tab only once the person
 * confirms, and opening it is the answer ("I have opened it"). Only http and https links are offered.
 */
import { createSignal, Show } from 'solid-js';
import type { QuestionAnswer, UrlElicitation } from '../../../shared/questions.ts';
import { ConfirmDialog } from './ConfirmDialog.tsx';
import { DeclineOrCancel } from './DeclineOrCancel.tsx';
import { t } from '../../../shared/i18n/t.ts';

export function UrlElicitationView(props: {
  question: UrlElicitation;
  busy: boolean;
  onAnswer: (answer: QuestionAnswer) => Promise<void>;
}) {
  const [confirming, setConfirming] = createSignal(false);
  const link = () => webLink(props.question.url);
  const open = async (url: URL) => {
    // The features are rel="noopener noreferrer" for window.open: the new tab gets no handle on this page, nor its address.
    window.open(url.href, '_blank', 'noopener,noreferrer');
    await props.onAnswer({ action: 'accept' });
  };

  return (
    <div class="question-body">
      <p class="question-message">{props.question.message}</p>
      <Show
        when={link()}
        fallback={
          <p class="form-error">
            {t('questionCard.badLink')} <code class="link-url">{props.question.url}</code>
          </p>
        }
      >
        {(url) => (
          <div class="link-preview">
            <p class="small-text muted">{t('questionCard.leadsTo')}</p>
            {/* The host as the browser reads the URL, which is where the tab goes, in full (an internationalised name as punycode). */}
            <p class="link-domain">{url().host}</p>
            <code class="link-url">{url().href}</code>
          </div>
        )}
      </Show>
      <div class="approval-actions">
        <Show when={link()}>
          <button type="button" class="button primary" disabled={props.busy} onClick={() => setConfirming(true)}>
            {t('questionCard.openLinkEllipsis')}
          </button>
        </Show>
        <DeclineOrCancel busy={props.busy} onAnswer={props.onAnswer} />
      </div>
      <Show when={confirming() && link()}>
        {(url) => (
          <ConfirmDialog
            title={t('questionCard.openHost', url().host)}
            confirmLabel={t('questionCard.openLink')}
            onConfirm={() => open(url())}
            onClose={() => setConfirming(false)}
          >
            <p>
              {t('questionCard.newTabAt')} <strong class="link-domain">{url().host}</strong>:
            </p>
            <p>
              <code class="link-url">{url().href}</code>
            </p>
            <p>{t('questionCard.serverTold', props.question.serverName)}</p>
          </ConfirmDialog>
        )}
      </Show>
    </div>
  );
}

/** The link, when it is one a browser tab should open: http or https, nothing that runs script or reaches local files. */
function webLink(text: string): URL | undefined {
  if (!URL.canParse(text)) return undefined;
  const url = new URL(text);
  return url.protocol === 'https:' || url.protocol === 'http:' ? url : undefined;
}

/** The two ways out of a server's request for input, the same on a form and on a link: Decline says no, Cancel dismisses it. */
import type { QuestionAnswer } from '../../../shared/questions.ts';
import { t } from '../../../shared/i18n/t.ts';

export function DeclineOrCancel(props: { busy: boolean; onAnswer: (answer: QuestionAnswer) => Promise<void> }) {
  return (
    <>
      <button type="button" class="button" disabled={props.busy} onClick={() => void props.onAnswer({ action: 'decline' })}>
        {t('question.decline')}
      </button>
      <button type="button" class="button" disabled={props.busy} onClick={() => void props.onAnswer({ action: 'cancel' })}>
        {t('common.cancel')}
      </button>
    </>
  );
}

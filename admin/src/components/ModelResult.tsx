/** What a model test found: the start of the model's reply, or why it did not answer, in plain words. */
import { Show } from 'solid-js';
import { t } from '../../../shared/i18n/t.ts';
import type { ResultOf } from '../api/graphql.ts';
import type { TestModel } from '../api/operations.ts';

type Tested = ResultOf<typeof TestModel>['testModel'];

export function ModelResult(props: { result: Tested }) {
  return (
    <section class="test-result" aria-label={t('console.modelForm.testLabel')} role="status">
      <Show
        when={props.result.ok}
        fallback={
          <p class="notice error">
            <strong>{t('console.modelForm.failed')}</strong> {props.result.error}
          </p>
        }
      >
        <p class="notice ok">
          <strong>{t('console.modelForm.answered', props.result.durationMs)}</strong> {props.result.reply}
        </p>
      </Show>
    </section>
  );
}

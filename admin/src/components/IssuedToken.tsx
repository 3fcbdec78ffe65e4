/** A freshly issued token: shown this once, with a copy button, until the admin says they have it. */
import { createSignal } from 'solid-js';
import { t } from '../../../shared/i18n/t.ts';

export function IssuedToken(props: { token: string; onDone: () => void }) {
  const [copied, setCopied] = createSignal<string | null>(null);
  let field: HTMLInputElement | undefined;
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(props.token);
      setCopied(t('console.issued.copied'));
    } catch {
      field?.select();
      setCopied(t('console.issued.copyBlocked'));
    }
  };
  return (
    <section class="issued" aria-label={t('console.issued.label')}>
      <p class="strong">{t('console.issued.copyNow')}</p>
      <div class="row">
        <input
          ref={field}
          class="input mono"
          readOnly
          value={props.token}
          aria-label={t('console.issued.value')}
          onFocus={(e) => e.currentTarget.select()}
        />
        <button class="button primary" type="button" onClick={() => void copy()}>
          {t('console.issued.copy')}
        </button>
        <button class="button" type="button" onClick={() => props.onDone()}>
          {t('console.issued.done')}
        </button>
      </div>
      <p class="muted small" role="status">
        {copied() ?? ''}
      </p>
    </section>
  );
}

/** An error a person can act on, dismissible. */
import { Icon } from './Icon.tsx';
import { t } from '../../../shared/i18n/t.ts';

export function ErrorBanner(props: { message: string; onDismiss: () => void }) {
  return (
    <div class="banner error" role="alert">
      <span>{props.message}</span>
      <button type="button" class="icon-button small" aria-label={t('common.dismiss')} onClick={() => props.onDismiss()}>
        <Icon name="close" size={16} />
      </button>
    </div>
  );
}

/**
 * Tool calls already decided whose servers want the person to sign in: they wait here (from the
 * chat's history, so after a reload too) instead of failing. Signing in from here comes back to
 * this chat and runs them; "Try again" runs them after a sign-in made elsewhere; "Don't run them"
 * lets them go, and the assistant goes on without them.
 */
import { createSignal, For } from 'solid-js';
import type { ApprovalDecision, PendingApproval } from '../api/types.ts';
import { SignInLink } from './SignInLink.tsx';
import { t } from '../../../shared/i18n/t.ts';

export function SignInWaitCard(props: { approval: PendingApproval; onDecide: (decisions: ApprovalDecision[]) => Promise<boolean> }) {
  const [busy, setBusy] = createSignal(false);
  const items = () => props.approval.items;
  const servers = () => props.approval.signIn ?? [];
  const all = async (action: 'approve' | 'reject') => {
    setBusy(true);
    await props.onDecide(items().map((item) => ({ toolCallId: item.toolCallId, action })));
    setBusy(false);
  };
  return (
    <section class="approval-card sign-in-wait" aria-label={t('signIn.waiting')} aria-busy={busy()}>
      <header class="approval-head">
        <span class="approval-title">{t('signIn.goOn')}</span>
        <span class="muted small-text">
          {t(
            'signIn.waits',
            items().length,
            servers()
              .map((server) => server.serverName)
              .join(', '),
          )}
        </span>
      </header>
      <ul class="sign-in-wait-calls">
        <For each={items()}>
          {(item) => (
            <li>
              <strong>{item.tool.title}</strong> <span class="muted">{t('toolCard.onServer', item.tool.serverName)}</span>
            </li>
          )}
        </For>
      </ul>
      <div class="approval-actions">
        <For each={servers()}>{(server) => <SignInLink serverId={server.serverId} serverName={server.serverName} />}</For>
        <button type="button" class="button" disabled={busy()} onClick={() => void all('approve')}>
          {t('common.tryAgain')}
        </button>
        <button type="button" class="button" disabled={busy()} onClick={() => void all('reject')}>
          {t('signIn.dontRun', items().length)}
        </button>
      </div>
    </section>
  );
}

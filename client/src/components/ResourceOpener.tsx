/**
 * "Open" on a resource a tool's result named: reads it through the person's own connection to its
 * server (`servers.readResource`; the browser never fetches the URI itself) and shows what came
 * back below the button, as `children` renders it. Pressed again, it closes; a failed read says
 * why, and the button tries again.
 */
import { createSignal, createUniqueId, type JSX, Match, Switch } from 'solid-js';
import type { ResourceReadDto } from '../../../shared/servers.ts';
import { api } from '../api/client.ts';
import { errorMessage } from '../api/errors.ts';
import { t } from '../../../shared/i18n/t.ts';

type Reading = { state: 'closed' } | { state: 'opening' } | { state: 'open'; read: ResourceReadDto } | { state: 'failed'; message: string };

export function ResourceOpener(props: {
  serverId: string;
  uri: string;
  /** Names the resource to assistive technology: its name, or its URI. */
  label: string;
  children: (read: ResourceReadDto) => JSX.Element;
}) {
  const [reading, setReading] = createSignal<Reading>({ state: 'closed' });
  const contentsId = createUniqueId();
  const isOpen = () => reading().state === 'open';
  const read = () => {
    const now = reading();
    return now.state === 'open' ? now.read : undefined;
  };
  const failure = () => {
    const now = reading();
    return now.state === 'failed' ? now.message : undefined;
  };

  async function toggle(): Promise<void> {
    const state = reading().state;
    if (state === 'opening') return;
    if (state === 'open') {
      setReading({ state: 'closed' });
      return;
    }
    setReading({ state: 'opening' });
    try {
      setReading({ state: 'open', read: await api.servers.readResource.query({ serverId: props.serverId, uri: props.uri }) });
    } catch (error) {
      setReading({ state: 'failed', message: errorMessage(error) });
    }
  }

  return (
    <div class="resource-opener">
      <button
        type="button"
        class="button small"
        aria-expanded={isOpen()}
        aria-controls={contentsId}
        aria-label={isOpen() ? t('resource.closeNamed', props.label) : t('resource.openNamed', props.label)}
        aria-disabled={reading().state === 'opening'}
        onClick={() => void toggle()}
      >
        {isOpen() ? t('common.close') : t('resource.open')}
      </button>
      <div id={contentsId} class="resource-contents">
        <Switch>
          <Match when={reading().state === 'opening'}>
            <p class="small-text muted" role="status">
              {t('resource.opening')}
            </p>
          </Match>
          <Match when={failure()}>
            {(message) => (
              <p class="form-error" role="alert">
                {t('resource.failed', props.label, message())}
              </p>
            )}
          </Match>
          <Match when={read()}>{(contents) => props.children(contents())}</Match>
        </Switch>
      </div>
    </div>
  );
}

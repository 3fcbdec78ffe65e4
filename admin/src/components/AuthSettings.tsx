/**
 * The server form's "Authentication" part: how connections to the server prove who is calling,
 * with only the settings that way uses. The client secret is write-only: once stored it shows as
 * set, and is replaced or removed only on purpose.
 */
import { createEffect, createSignal, For, on, Show } from 'solid-js';
import { t } from '../../../shared/i18n/t.ts';
import type { SetStoreFunction } from 'solid-js/store';
import { AUTH_MODES, type AuthField, usesField } from '../lib/auth-modes.ts';
import type { ServerFormState } from '../lib/server-form.ts';
import type { Server } from '../pages/ServerPage.tsx';
import { controlAttributes, Field, FieldProblem, fieldId } from './Field.tsx';

const SECRET_STATE_ID = 'client-secret-state';
const helpId = (mode: string) => `auth-mode-${mode}-help`;

export function AuthSettings(props: {
  form: ServerFormState;
  setForm: SetStoreFunction<ServerFormState>;
  server: Server | null;
  problem: (field: string) => string | undefined;
}) {
  const uses = (field: AuthField) => usesField(props.form.authMode, field);
  const http = () => props.form.transport !== 'STDIO';
  const clientCredentials = () => props.form.authMode === 'CLIENT_CREDENTIALS';
  const storedSecret = () => props.server?.hasOauthClientSecret === true;
  const [replacing, setReplacing] = createSignal(false);
  let secretInput: HTMLElement | undefined;
  const secretRef = (element: HTMLElement) => {
    secretInput = element;
  };
  // A save starts the form afresh from what was stored.
  createEffect(
    on(
      () => props.server,
      () => setReplacing(false),
      { defer: true },
    ),
  );

  const replace = () => {
    setReplacing(true);
    secretInput?.focus();
  };
  const keepStored = () => {
    props.setForm('oauthClientSecret', '');
    setReplacing(false);
  };
  /** Tokens are bound to one resource and one way of signing in: these changes make everyone sign in again. */
  const signsEveryoneOut = () => {
    const stored = props.server;
    if (stored?.authMode !== 'OAUTH') return false;
    return (
      props.form.authMode !== 'OAUTH' ||
      props.form.oauthClientId.trim() !== (stored.oauthClientId ?? '') ||
      props.form.oauthIssuer.trim() !== (stored.oauthIssuer ?? '') ||
      (http() && props.form.url.trim() !== (stored.url ?? ''))
    );
  };
  const secretAttributes = () => controlAttributes('oauthClientSecret', props.problem('oauthClientSecret'), SECRET_STATE_ID);
  const typeSecret = (event: { currentTarget: HTMLInputElement | HTMLTextAreaElement }) =>
    props.setForm('oauthClientSecret', event.currentTarget.value);

  return (
    <fieldset class="auth-settings">
      <legend>{t('console.auth.legend')}</legend>
      <fieldset class="auth-modes" id={fieldId('authMode')}>
        <legend class="field-label">{t('console.auth.how')}</legend>
        <For each={AUTH_MODES}>
          {(mode) => (
            <div class="auth-mode">
              <input
                type="radio"
                id={`auth-mode-${mode.value}`}
                name="authMode"
                value={mode.value}
                checked={props.form.authMode === mode.value}
                disabled={mode.httpOnly && !http() && props.form.authMode !== mode.value}
                aria-describedby={helpId(mode.value)}
                onChange={() => props.setForm('authMode', mode.value)}
              />
              <div>
                <label class="auth-mode-label" for={`auth-mode-${mode.value}`}>
                  {t(`console.auth.modes.${mode.value}.label`)}
                </label>
                <div class="muted small" id={helpId(mode.value)}>
                  {t(`console.auth.modes.${mode.value}.help`)}
                  <Show when={mode.httpOnly && !http()}>{t('console.auth.httpOnly')}</Show>
                </div>
              </div>
            </div>
          )}
        </For>
        <FieldProblem field="authMode" problem={props.problem('authMode')} />
      </fieldset>

      <Show when={signsEveryoneOut()}>
        <p class="notice warn">{t('console.auth.signsEveryoneOut', props.server?.name ?? '')}</p>
      </Show>

      <Show when={uses('oauthClientId') || uses('oauthScopes')}>
        <div class="grid two">
          <Show when={uses('oauthClientId')}>
            <Field
              field="oauthClientId"
              label={clientCredentials() ? t('console.auth.clientId') : t('console.auth.clientIdRegistered')}
              problem={props.problem('oauthClientId')}
            >
              <input
                class="input mono"
                autocomplete="off"
                spellcheck={false}
                maxLength={1000}
                value={props.form.oauthClientId}
                onInput={(e) => props.setForm('oauthClientId', e.currentTarget.value)}
                {...controlAttributes('oauthClientId', props.problem('oauthClientId'))}
              />
            </Field>
          </Show>
          <Show when={uses('oauthIssuer') && props.form.oauthClientId.trim() !== ''}>
            <Field field="oauthIssuer" label={t('console.auth.issuer')} problem={props.problem('oauthIssuer')}>
              <input
                class="input mono"
                type="url"
                autocomplete="off"
                spellcheck={false}
                placeholder={t('console.auth.issuerPlaceholder')}
                value={props.form.oauthIssuer}
                onInput={(e) => props.setForm('oauthIssuer', e.currentTarget.value)}
                {...controlAttributes('oauthIssuer', props.problem('oauthIssuer'))}
              />
            </Field>
          </Show>
          <Show when={uses('oauthScopes')}>
            <Field
              field="oauthScopes"
              label={props.form.authMode === 'ON_BEHALF_OF' ? t('console.auth.scopeOnBehalf') : t('console.auth.scopes')}
              problem={props.problem('oauthScopes')}
            >
              <input
                class="input mono"
                autocomplete="off"
                spellcheck={false}
                placeholder={props.form.authMode === 'ON_BEHALF_OF' ? t('console.auth.scopeOnBehalfPlaceholder') : 'mcp:tools'}
                value={props.form.oauthScopes}
                onInput={(e) => props.setForm('oauthScopes', e.currentTarget.value)}
                {...controlAttributes('oauthScopes', props.problem('oauthScopes'))}
              />
            </Field>
          </Show>
        </div>
      </Show>

      <Show when={uses('oauthClientSecret')}>
        <div class="field">
          <label class="field-label" for={storedSecret() && !replacing() ? undefined : fieldId('oauthClientSecret')}>
            {clientCredentials() ? t('console.auth.secretOrKey') : t('console.auth.secretOptional')}
          </label>
          <Show
            when={storedSecret() && !replacing()}
            fallback={
              <>
                <Show
                  when={clientCredentials()}
                  fallback={
                    <input
                      ref={secretRef}
                      class="input mono"
                      type="password"
                      autocomplete="off"
                      value={props.form.oauthClientSecret}
                      onInput={typeSecret}
                      {...secretAttributes()}
                    />
                  }
                >
                  <textarea
                    ref={secretRef}
                    class="input mono"
                    rows={3}
                    autocomplete="off"
                    spellcheck={false}
                    placeholder="-----BEGIN PRIVATE KEY-----"
                    value={props.form.oauthClientSecret}
                    onInput={typeSecret}
                    {...secretAttributes()}
                  />
                </Show>
                <div class="row">
                  <span class="muted small" id={SECRET_STATE_ID}>
                    {storedSecret() ? t('console.auth.replacesStored') : t('console.common.notSet')}
                  </span>
                  <Show when={storedSecret()}>
                    <button class="button small" type="button" onClick={keepStored}>
                      {t('console.auth.keepStored')}
                    </button>
                  </Show>
                </div>
              </>
            }
          >
            <div class="row">
              <span class="secret-state" id={SECRET_STATE_ID}>
                {props.form.clearClientSecret ? t('console.auth.setRemoved') : t('console.auth.set')}
              </span>
              <Show when={!props.form.clearClientSecret}>
                <button class="button small" type="button" aria-label={t('console.auth.replaceSecret')} onClick={replace}>
                  {t('console.common.replace')}
                </button>
              </Show>
            </div>
            <label class="checkbox">
              <input
                type="checkbox"
                checked={props.form.clearClientSecret}
                onChange={(e) => props.setForm('clearClientSecret', e.currentTarget.checked)}
              />{' '}
              {t('console.auth.removeSecret')}
            </label>
          </Show>
          <FieldProblem field="oauthClientSecret" problem={props.problem('oauthClientSecret')} />
        </div>
      </Show>

      <Show when={uses('secretHeaders')}>
        <Field
          field="secretHeaders"
          label={
            <>
              {props.form.authMode === 'STATIC' ? t('console.auth.secretHeadersStatic') : t('console.auth.secretHeadersOther')}{' '}
              {props.server?.secretHeaderNames.length
                ? t('console.auth.writeOnlyKept', props.server.secretHeaderNames.join(', '))
                : t('console.auth.writeOnly')}
            </>
          }
          problem={props.problem('secretHeaders')}
        >
          <textarea
            class="input mono"
            rows={2}
            value={props.form.secretHeaders}
            onInput={(e) => props.setForm('secretHeaders', e.currentTarget.value)}
            {...controlAttributes('secretHeaders', props.problem('secretHeaders'))}
          />
        </Field>
        <Show when={props.server?.secretHeaderNames.length}>
          <label class="checkbox">
            <input
              type="checkbox"
              checked={props.form.clearSecrets}
              onChange={(e) => props.setForm('clearSecrets', e.currentTarget.checked)}
            />{' '}
            {t('console.auth.removeSecretHeaders')}
          </label>
        </Show>
      </Show>
      <Show when={!uses('secretHeaders') && props.server?.secretHeaderNames.length}>
        <p class="notice warn">{t('console.auth.savingRemovesHeaders', props.server?.secretHeaderNames.join(', ') ?? '')}</p>
      </Show>
    </fieldset>
  );
}

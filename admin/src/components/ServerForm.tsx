/** Create or edit a catalogue server, and test the definition on the form before saving it. */
import { createMemo, createSignal, For, Show } from 'solid-js';
import { t } from '../../../shared/i18n/t.ts';
import { createStore } from 'solid-js/store';
import type { ResultOf } from '../api/graphql.ts';
import { CreateServer, TestConnection, UpdateServer } from '../api/operations.ts';
import { createAction } from '../lib/action.ts';
import { api } from '../lib/api.ts';
import { AUTH_MODES } from '../lib/auth-modes.ts';
import { fieldProblems, formProblem } from '../lib/field-problems.ts';
import {
  emptyForm,
  formFrom,
  type LogLevel,
  type Policy,
  type ServerFormState,
  toServerInput,
  type Transport,
} from '../lib/server-form.ts';
import type { Server } from '../pages/ServerPage.tsx';
import { AuthSettings } from './AuthSettings.tsx';
import { ConnectionResult } from './ConnectionResult.tsx';
import { ServerAsks } from './ServerAsks.tsx';
import { controlAttributes, Field } from './Field.tsx';
import { ErrorNotice, StatusNotice } from './Notice.tsx';

type Tested = ResultOf<typeof TestConnection>['testConnection'];

const TRANSPORTS: readonly Transport[] = ['STREAMABLE_HTTP', 'SSE', 'STDIO'];
export const POLICIES: readonly Policy[] = ['ASK', 'AUTO', 'DENY'];
/** Least severe first, as MCP orders them. */
const LOG_LEVELS: readonly LogLevel[] = ['DEBUG', 'INFO', 'NOTICE', 'WARNING', 'ERROR', 'CRITICAL', 'ALERT', 'EMERGENCY'];
const LOG_LEVEL_HELP_ID = 'log-level-help';

export function ServerForm(props: { server: Server | null; onSaved: (server: Server) => void }) {
  const [form, setForm] = createStore<ServerFormState>(props.server ? formFrom(props.server) : emptyForm());
  const [tested, setTested] = createSignal<Tested | null>(null);
  const [saved, setSaved] = createSignal(false);
  const editing = () => props.server !== null;
  const http = () => form.transport !== 'STDIO';

  const save = createAction(async () => {
    test.clearError();
    setSaved(false);
    const input = toServerInput(form, editing());
    const server = props.server
      ? (await api(UpdateServer, { id: props.server.id, input })).updateServer
      : (await api(CreateServer, { input: { ...input, name: input.name ?? '', transport: form.transport } })).createServer;
    setForm(formFrom(server));
    setSaved(true);
    props.onSaved(server);
  });
  const test = createAction(async () => {
    save.clearError();
    setTested(null);
    const input = toServerInput(form, editing());
    setTested((await api(TestConnection, { input, serverId: props.server?.id ?? null })).testConnection);
  });

  /** The fields on the form now, by the API's names: a problem with one of them is shown beside it. */
  const shown = createMemo(() => {
    const fields = ['name', 'transport', 'description', 'headers', 'defaultPolicy', 'logLevel', 'authMode'];
    fields.push('samplingPolicy', 'allowedRoots', ...(form.samplingPolicy === 'OFF' ? [] : ['samplingMaxTokens']));
    fields.push(...(http() ? ['url'] : ['command', 'args', 'env']));
    fields.push(...(AUTH_MODES.find((m) => m.value === form.authMode)?.uses ?? []));
    return new Set(fields);
  });
  const problems = createMemo(() => fieldProblems(save.failure() ?? test.failure(), shown()));
  const problem = (field: string) => problems().fields[field];

  const text = (key: keyof ServerFormState) => (event: { currentTarget: HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement }) =>
    setForm(key, event.currentTarget.value as never);
  const check = (key: 'trusted' | 'enabled') => (event: { currentTarget: HTMLInputElement }) => setForm(key, event.currentTarget.checked);

  return (
    <form
      class="panel server-form"
      aria-label={editing() ? t('console.serverForm.definition') : t('console.serverForm.newServer')}
      onSubmit={(event) => {
        event.preventDefault();
        void save.perform();
      }}
    >
      <div class="grid two">
        <Field field="name" label={t('console.serverForm.name')} problem={problem('name')}>
          <input
            class="input"
            required
            maxLength={80}
            value={form.name}
            onInput={text('name')}
            {...controlAttributes('name', problem('name'))}
          />
        </Field>
        <Field field="transport" label={t('console.serverForm.transport')} problem={problem('transport')}>
          <select
            class="input"
            value={form.transport}
            onChange={text('transport')}
            {...controlAttributes('transport', problem('transport'))}
          >
            {/* As for the log level: the select's own value is set before its options exist. */}
            <For each={TRANSPORTS}>
              {(transport) => (
                <option value={transport} selected={form.transport === transport}>
                  {t(`console.serverForm.transports.${transport}`)}
                </option>
              )}
            </For>
          </select>
        </Field>
      </div>
      <Field field="description" label={t('console.serverForm.description')} problem={problem('description')}>
        <input
          class="input"
          maxLength={2000}
          value={form.description}
          onInput={text('description')}
          {...controlAttributes('description', problem('description'))}
        />
      </Field>
      <Show
        when={http()}
        fallback={
          <div class="grid two">
            <Field field="command" label={t('console.serverForm.command')} problem={problem('command')}>
              <input
                class="input mono"
                value={form.command}
                onInput={text('command')}
                placeholder="/usr/bin/node"
                {...controlAttributes('command', problem('command'))}
              />
            </Field>
            <Field field="args" label={t('console.serverForm.args')} problem={problem('args')}>
              <textarea
                class="input mono"
                rows={3}
                value={form.args}
                onInput={text('args')}
                {...controlAttributes('args', problem('args'))}
              />
            </Field>
            <Field
              field="env"
              class="span-two"
              label={
                props.server?.envNames.length
                  ? t('console.serverForm.envKept', props.server.envNames.join(', '))
                  : t('console.serverForm.env')
              }
              problem={problem('env')}
            >
              <textarea class="input mono" rows={2} value={form.env} onInput={text('env')} {...controlAttributes('env', problem('env'))} />
            </Field>
          </div>
        }
      >
        <Field field="url" label={t('console.serverForm.url')} problem={problem('url')}>
          <input
            class="input mono"
            type="url"
            value={form.url}
            onInput={text('url')}
            placeholder="https://mcp.example.com/mcp"
            {...controlAttributes('url', problem('url'))}
          />
        </Field>
      </Show>
      <Field field="headers" label={t('console.serverForm.headers')} problem={problem('headers')}>
        <textarea
          class="input mono"
          rows={2}
          value={form.headers}
          onInput={text('headers')}
          {...controlAttributes('headers', problem('headers'))}
        />
      </Field>
      <AuthSettings form={form} setForm={setForm} server={props.server} problem={problem} />
      <ServerAsks form={form} setForm={setForm} problem={problem} />
      <div class="grid two">
        <Field field="defaultPolicy" label={t('console.serverForm.defaultPolicy')} problem={problem('defaultPolicy')}>
          <select
            class="input"
            value={form.defaultPolicy}
            onChange={text('defaultPolicy')}
            {...controlAttributes('defaultPolicy', problem('defaultPolicy'))}
          >
            <For each={POLICIES}>{(policy) => <option value={policy}>{t(`console.policies.${policy}`)}</option>}</For>
          </select>
        </Field>
        <Field field="logLevel" label={t('console.serverForm.logLevel')} problem={problem('logLevel')}>
          <select
            class="input"
            value={form.logLevel}
            onChange={text('logLevel')}
            {...controlAttributes('logLevel', problem('logLevel'), LOG_LEVEL_HELP_ID)}
          >
            {/* Each option says whether it is chosen: the select's own value is set before its options exist. */}
            <For each={LOG_LEVELS}>
              {(level) => (
                <option value={level} selected={form.logLevel === level}>
                  {t(`console.logLevels.${level}`)}
                </option>
              )}
            </For>
          </select>
          <span class="muted small" id={LOG_LEVEL_HELP_ID}>
            {t('console.serverForm.logLevelHelp')}
          </span>
        </Field>
        <div class="field checks">
          <label class="checkbox">
            <input type="checkbox" checked={form.trusted} onChange={check('trusted')} /> {t('console.serverForm.trusted')}
          </label>
          <label class="checkbox">
            <input type="checkbox" checked={form.enabled} onChange={check('enabled')} /> {t('console.serverForm.enabled')}
          </label>
        </div>
      </div>
      <ErrorNotice message={formProblem(problems())} />
      <Show when={saved() && !save.busy()}>
        <StatusNotice tone="ok">{t('console.common.saved')}</StatusNotice>
      </Show>
      <div class="row">
        <button class="button primary" type="submit" disabled={save.busy()}>
          {editing() ? t('console.serverForm.save') : t('console.serverForm.add')}
        </button>
        <button class="button" type="button" disabled={test.busy()} onClick={() => void test.perform()}>
          {test.busy() ? t('console.serverForm.testing') : t('console.serverForm.test')}
        </button>
      </div>
      <Show when={tested()}>{(result) => <ConnectionResult result={result()} />}</Show>
    </form>
  );
}

/** Create or edit a catalogue server, and test the definition on the form before saving it. */
import { createMemo, createSignal, For, Show } from 'solid-js';
import { createStore } from 'solid-js/store';
import type { ResultOf } from '../api/graphql.ts';
import { CreateServer, TestConnection, UpdateServer } from '../api/operations.ts';
import { createAction } from '../lib/action.ts';
import { api } from '../lib/api.ts';
import { AUTH_MODES } from '../lib/auth-modes.ts';
import { fieldProblems } from '../lib/field-problems.ts';
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

const TRANSPORTS: { value: Transport; label: string }[] = [
  { value: 'STREAMABLE_HTTP', label: 'Streamable HTTP (URL)' },
  { value: 'SSE', label: 'HTTP + SSE, legacy (URL)' },
  { value: 'STDIO', label: 'stdio (a command on this server)' },
];
export const POLICIES: { value: Policy; label: string }[] = [
  { value: 'ASK', label: 'Ask a person' },
  { value: 'AUTO', label: 'Run without asking' },
  { value: 'DENY', label: 'Never offer' },
];
/** Least severe first, as MCP orders them. */
const LOG_LEVELS: { value: LogLevel; label: string }[] = [
  { value: 'DEBUG', label: 'Debug (everything)' },
  { value: 'INFO', label: 'Info' },
  { value: 'NOTICE', label: 'Notice' },
  { value: 'WARNING', label: 'Warning' },
  { value: 'ERROR', label: 'Error' },
  { value: 'CRITICAL', label: 'Critical' },
  { value: 'ALERT', label: 'Alert' },
  { value: 'EMERGENCY', label: 'Emergency' },
];
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
  const general = () => problems().general ?? (Object.keys(problems().fields).length > 0 ? 'The fields marked below need a change.' : null);

  const text = (key: keyof ServerFormState) => (event: { currentTarget: HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement }) =>
    setForm(key, event.currentTarget.value as never);
  const check = (key: 'trusted' | 'enabled') => (event: { currentTarget: HTMLInputElement }) => setForm(key, event.currentTarget.checked);

  return (
    <form
      class="panel server-form"
      aria-label={editing() ? 'Server definition' : 'New server'}
      onSubmit={(event) => {
        event.preventDefault();
        void save.perform();
      }}
    >
      <div class="grid two">
        <Field field="name" label="Name" problem={problem('name')}>
          <input
            class="input"
            required
            maxLength={80}
            value={form.name}
            onInput={text('name')}
            {...controlAttributes('name', problem('name'))}
          />
        </Field>
        <Field field="transport" label="Transport" problem={problem('transport')}>
          <select
            class="input"
            value={form.transport}
            onChange={text('transport')}
            {...controlAttributes('transport', problem('transport'))}
          >
            {/* As for the log level: the select's own value is set before its options exist. */}
            <For each={TRANSPORTS}>
              {(t) => (
                <option value={t.value} selected={form.transport === t.value}>
                  {t.label}
                </option>
              )}
            </For>
          </select>
        </Field>
      </div>
      <Field field="description" label="Description (people see it when they connect)" problem={problem('description')}>
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
            <Field field="command" label="Command" problem={problem('command')}>
              <input
                class="input mono"
                value={form.command}
                onInput={text('command')}
                placeholder="/usr/bin/node"
                {...controlAttributes('command', problem('command'))}
              />
            </Field>
            <Field field="args" label="Arguments, one per line" problem={problem('args')}>
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
                <>
                  Environment, NAME=value per line (write-only
                  <Show when={props.server?.envNames.length}>: {props.server?.envNames.join(', ')} set; leave empty to keep them</Show>)
                </>
              }
              problem={problem('env')}
            >
              <textarea class="input mono" rows={2} value={form.env} onInput={text('env')} {...controlAttributes('env', problem('env'))} />
            </Field>
          </div>
        }
      >
        <Field field="url" label="URL (http or https)" problem={problem('url')}>
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
      <Field field="headers" label="Headers, Name: value per line" problem={problem('headers')}>
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
        <Field field="defaultPolicy" label="Default policy for its tools" problem={problem('defaultPolicy')}>
          <select
            class="input"
            value={form.defaultPolicy}
            onChange={text('defaultPolicy')}
            {...controlAttributes('defaultPolicy', problem('defaultPolicy'))}
          >
            <For each={POLICIES}>{(p) => <option value={p.value}>{p.label}</option>}</For>
          </select>
        </Field>
        <Field field="logLevel" label="Server log level" problem={problem('logLevel')}>
          <select
            class="input"
            value={form.logLevel}
            onChange={text('logLevel')}
            {...controlAttributes('logLevel', problem('logLevel'), LOG_LEVEL_HELP_ID)}
          >
            {/* Each option says whether it is chosen: the select's own value is set before its options exist. */}
            <For each={LOG_LEVELS}>
              {(level) => (
                <option value={level.value} selected={form.logLevel === level.value}>
                  {level.label}
                </option>
              )}
            </For>
          </select>
          <span class="muted small" id={LOG_LEVEL_HELP_ID}>
            The server is asked for messages this severe or worse; they appear under Server log. A change reconnects everyone.
          </span>
        </Field>
        <div class="field checks">
          <label class="checkbox">
            <input type="checkbox" checked={form.trusted} onChange={check('trusted')} /> Trusted: its read-only hints may run tools without
            asking
          </label>
          <label class="checkbox">
            <input type="checkbox" checked={form.enabled} onChange={check('enabled')} /> Enabled: people can connect to it
          </label>
        </div>
      </div>
      <ErrorNotice message={general()} />
      <Show when={saved() && !save.busy()}>
        <StatusNotice tone="ok">Saved.</StatusNotice>
      </Show>
      <div class="row">
        <button class="button primary" type="submit" disabled={save.busy()}>
          {editing() ? 'Save changes' : 'Add to catalogue'}
        </button>
        <button class="button" type="button" disabled={test.busy()} onClick={() => void test.perform()}>
          {test.busy() ? 'Testing…' : 'Test connection'}
        </button>
      </div>
      <Show when={tested()}>{(result) => <ConnectionResult result={result()} />}</Show>
    </form>
  );
}

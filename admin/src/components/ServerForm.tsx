/** Create or edit a catalogue server, and test the definition on the form before saving it. */
import { createSignal, For, Show } from 'solid-js';
import { createStore } from 'solid-js/store';
import type { ResultOf } from '../api/graphql.ts';
import { CreateServer, TestConnection, UpdateServer } from '../api/operations.ts';
import { createAction } from '../lib/action.ts';
import { api } from '../lib/api.ts';
import { emptyForm, formFrom, type Policy, type ServerFormState, toServerInput, type Transport } from '../lib/server-form.ts';
import type { Server } from '../pages/ServerPage.tsx';
import { ConnectionResult } from './ConnectionResult.tsx';
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

export function ServerForm(props: { server: Server | null; onSaved: (server: Server) => void }) {
  const [form, setForm] = createStore<ServerFormState>(props.server ? formFrom(props.server) : emptyForm());
  const [tested, setTested] = createSignal<Tested | null>(null);
  const [saved, setSaved] = createSignal(false);
  const editing = () => props.server !== null;
  const http = () => form.transport !== 'STDIO';

  const save = createAction(async () => {
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
    setTested(null);
    const input = toServerInput(form, editing());
    setTested((await api(TestConnection, { input, serverId: props.server?.id ?? null })).testConnection);
  });

  const text = (key: keyof ServerFormState) => (event: { currentTarget: HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement }) =>
    setForm(key, event.currentTarget.value as never);
  const check = (key: 'trusted' | 'enabled' | 'clearSecrets') => (event: { currentTarget: HTMLInputElement }) =>
    setForm(key, event.currentTarget.checked);

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
        <label class="field">
          <span class="field-label">Name</span>
          <input class="input" required maxLength={80} value={form.name} onInput={text('name')} />
        </label>
        <label class="field">
          <span class="field-label">Transport</span>
          <select class="input" value={form.transport} onChange={text('transport')}>
            <For each={TRANSPORTS}>{(t) => <option value={t.value}>{t.label}</option>}</For>
          </select>
        </label>
      </div>
      <label class="field">
        <span class="field-label">Description (people see it when they connect)</span>
        <input class="input" maxLength={2000} value={form.description} onInput={text('description')} />
      </label>
      <Show
        when={http()}
        fallback={
          <div class="grid two">
            <label class="field">
              <span class="field-label">Command</span>
              <input class="input mono" value={form.command} onInput={text('command')} placeholder="/usr/bin/node" />
            </label>
            <label class="field">
              <span class="field-label">Arguments, one per line</span>
              <textarea class="input mono" rows={3} value={form.args} onInput={text('args')} />
            </label>
            <label class="field span-two">
              <span class="field-label">
                Environment, NAME=value per line (write-only
                <Show when={props.server?.envNames.length}>: {props.server?.envNames.join(', ')} set; leave empty to keep them</Show>)
              </span>
              <textarea class="input mono" rows={2} value={form.env} onInput={text('env')} />
            </label>
          </div>
        }
      >
        <label class="field">
          <span class="field-label">URL (http or https)</span>
          <input class="input mono" type="url" value={form.url} onInput={text('url')} placeholder="https://mcp.example.com/mcp" />
        </label>
      </Show>
      <div class="grid two">
        <label class="field">
          <span class="field-label">Headers, Name: value per line</span>
          <textarea class="input mono" rows={2} value={form.headers} onInput={text('headers')} />
        </label>
        <label class="field">
          <span class="field-label">
            Secret headers, Name: env:VARIABLE per line (write-only
            <Show when={props.server?.secretHeaderNames.length}>
              : {props.server?.secretHeaderNames.join(', ')} set; leave empty to keep
            </Show>
            )
          </span>
          <textarea class="input mono" rows={2} value={form.secretHeaders} onInput={text('secretHeaders')} />
        </label>
      </div>
      <Show when={props.server?.secretHeaderNames.length}>
        <label class="checkbox">
          <input type="checkbox" checked={form.clearSecrets} onChange={check('clearSecrets')} /> Remove the stored secret headers
        </label>
      </Show>
      <div class="grid two">
        <label class="field">
          <span class="field-label">Default policy for its tools</span>
          <select class="input" value={form.defaultPolicy} onChange={text('defaultPolicy')}>
            <For each={POLICIES}>{(p) => <option value={p.value}>{p.label}</option>}</For>
          </select>
        </label>
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
      <ErrorNotice message={save.error() ?? test.error()} />
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

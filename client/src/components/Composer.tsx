/**
 * The message box: Enter sends, Shift+Enter starts a new line, and while the assistant answers
 * the send button becomes Stop. The box grows with its text up to a limit.
 *
 * In a chat, `/` at the start lists the prompts of the chat's servers and `@` lists their
 * resources (PickerList; arrows, Enter and Escape work from the box). A prompt is filled in (its
 * arguments asked for first, ArgumentsForm) and put in the box as text; a resource is attached as
 * a chip and sent with the message, a template's variables asked for first.
 */
import { createEffect, createMemo, createSignal, createUniqueId, For, on, Show } from 'solid-js';
import type { AttachmentDto } from '../../../shared/chat-events.ts';
import { LIMITS } from '../../../shared/limits.ts';
import type { PromptDto, ResourceTemplateDto } from '../../../shared/servers.ts';
import { expandUriTemplate } from '../../../shared/uri-template.ts';
import { api } from '../api/client.ts';
import { errorMessage } from '../api/errors.ts';
import { type Choice, choicesFor, emptyText, type Listed, optionOf } from '../state/composer-choices.ts';
import { type ComposerLists, suggestionsFor } from '../state/composer-lists.ts';
import type { ComposerFiles as Files } from '../state/composer-files.ts';
import { sameTrigger, type Trigger, triggerAt } from '../state/composer-trigger.ts';
import { ArgumentsForm } from './ArgumentsForm.tsx';
import { AttachFilesButton } from './AttachFilesButton.tsx';
import { AttachmentChips } from './AttachmentChips.tsx';
import { ComposerFiles } from './ComposerFiles.tsx';
import { Icon } from './Icon.tsx';
import { optionId, PickerList } from './PickerList.tsx';
import { t } from '../../../shared/i18n/t.ts';

/** More would only scroll: typing narrows them. */
const MAX_SHOWN = 100;

/** What the form above the box asks for; the template remembers which `@word` it replaces. */
type Asking = { kind: 'prompt'; prompt: PromptDto } | { kind: 'template'; template: ResourceTemplateDto; trigger: Trigger };

export function Composer(props: {
  /** Resolves false when the message was not sent, so the text and attachments stay. */
  onSend: (text: string, attachments: AttachmentDto[]) => Promise<boolean>;
  onStop?: () => void;
  running?: boolean;
  disabled?: boolean;
  disabledReason?: string;
  placeholder?: string;
  /** Text to put in the box (an example the person picked, a message that was not sent), ready to edit or send. */
  suggestion?: string;
  /** The chat's prompts and resources; absent (no chat yet), `/` and `@` are plain text. */
  lists?: ComposerLists;
  /** The files attached (picked, dropped or pasted); the parent gives them to the message and clears them once it is sent. */
  files?: Files;
}) {
  const [text, setText] = createSignal('');
  const [sending, setSending] = createSignal(false);
  const [attachments, setAttachments] = createSignal<AttachmentDto[]>([]);
  const [trigger, setTrigger] = createSignal<Trigger | null>(null);
  /** The picker the person closed with Escape: it stays closed while they type into the same `/` or `@word`. */
  const [dismissed, setDismissed] = createSignal<Trigger | null>(null);
  const [active, setActive] = createSignal(0);
  /** A picker shows only while the box has focus. */
  const [focused, setFocused] = createSignal(false);
  const [asking, setAsking] = createSignal<Asking | null>(null);
  /** What the last prompt or attachment left out, or why it failed. */
  const [notes, setNotes] = createSignal<string[]>([]);
  const listId = createUniqueId();
  let box!: HTMLTextAreaElement;

  const fitHeight = () => {
    box.style.height = 'auto';
    box.style.height = `${Math.min(box.scrollHeight, 240)}px`;
  };
  const putText = (value: string, caret = value.length) => {
    setText(value);
    box.value = value;
    box.setSelectionRange(caret, caret);
    queueMicrotask(fitHeight);
    readTrigger();
  };
  const readTrigger = () => {
    // Typing and clicking happen in the box: it has focus, though the box may have had it before any focus event was heard.
    setFocused(document.activeElement === box);
    const next = props.lists ? triggerAt(box.value, box.selectionStart) : null;
    if (!sameTrigger(next, trigger())) setActive(0);
    if (!sameTrigger(next, dismissed())) setDismissed(null);
    setTrigger(next);
  };
  createEffect(
    on(
      () => props.suggestion,
      (suggestion) => {
        if (!suggestion) return;
        putText(suggestion);
        box.focus();
      },
      { defer: true },
    ),
  );

  const picking = createMemo(() => {
    const now = trigger();
    return now && focused() && !asking() && !sameTrigger(now, dismissed()) ? now.kind : null;
  });
  createEffect(
    on(picking, (kind) => {
      props.lists?.setOpen(kind);
      if (kind) void props.lists?.load(kind);
    }),
  );

  const listed = (): Listed => ({ prompts: props.lists?.prompts(), resources: props.lists?.resources(), attached: attachments().length });
  const choices = createMemo((): Choice[] => {
    const now = trigger();
    return now && props.lists ? choicesFor(now, listed()) : [];
  });
  const shown = () => choices().slice(0, MAX_SHOWN);
  const pickerNotes = () => {
    const lists = props.lists;
    if (!lists) return [];
    const list = picking() === 'prompts' ? lists.prompts() : lists.resources();
    const more = choices().length > MAX_SHOWN ? [t('composer.more', choices().length - MAX_SHOWN)] : [];
    return [...(list?.leftOut ?? []), ...(lists.error() ? [lists.error()!] : []), ...more];
  };

  function choose(index: number): void {
    const choice = shown()[index];
    const now = trigger();
    if (!choice || !now) return;
    if (choice.kind === 'prompt') {
      if (choice.prompt.arguments.length > 0) setAsking({ kind: 'prompt', prompt: choice.prompt });
      else void insertPrompt(choice.prompt, {}).catch((cause: unknown) => setNotes([errorMessage(cause)]));
    } else if (choice.kind === 'resource') {
      const { serverId, uri, title, name } = choice.resource;
      attach({ serverId, uri, name: title ?? name }, now);
    } else {
      setAsking({ kind: 'template', template: choice.template, trigger: now });
    }
  }

  /** The prompt filled in, its user messages put in the box in place of the `/` the person typed. */
  async function insertPrompt(prompt: PromptDto, values: Record<string, string>): Promise<void> {
    const filled = await api.servers.getPrompt.mutate({ serverId: prompt.serverId, name: prompt.name, arguments: values });
    const said = filled.messages.filter((m) => m.role === 'user').map((m) => m.text);
    const skipped = filled.messages.length - said.length;
    setNotes([...filled.leftOut, ...(skipped > 0 ? [t('composer.skipped', skipped)] : [])]);
    setAsking(null);
    putText(said.join('\n\n').slice(0, LIMITS.message));
    box.focus();
  }

  /** Adds a chip, and takes the `@word` that found it out of the text. */
  function attach(attachment: AttachmentDto, found: Trigger): void {
    if (!attachments().some((a) => a.serverId === attachment.serverId && a.uri === attachment.uri)) {
      setAttachments((now) => [...now, attachment]);
    }
    setAsking(null);
    if (found.kind === 'resources') {
      const value = box.value;
      putText(value.slice(0, found.start) + value.slice(found.end), found.start);
    }
    box.focus();
  }

  // Text, files, or both: a message of files alone (an image to look at) needs no words.
  const hasContent = () => text().trim() !== '' || props.files?.carriesFiles() === true;
  const canSend = () => hasContent() && !sending() && !props.running && !props.disabled && !props.files?.holdsSend();

  const send = async () => {
    if (!canSend()) return;
    const message = text().trim();
    const attached = attachments();
    const sentChips = props.files?.keys() ?? [];
    const focusedBefore = document.activeElement;
    setSending(true);
    putText('');
    const sent = await props.onSend(message, attached);
    setSending(false);
    if (sent) {
      // What the person attached while the message was on its way stays for the next one.
      setAttachments((now) => now.filter((attachment) => !attached.includes(attachment)));
      props.files?.clear(sentChips);
      setNotes([]);
    } else {
      putText(message);
    }
    // The answer may already have asked for an approval, whose card took the focus: it keeps it.
    const focusedNow = document.activeElement;
    if (focusedNow === focusedBefore || focusedNow === document.body) box.focus();
  };

  return (
    <form
      class="composer"
      aria-busy={sending()}
      onSubmit={(e) => {
        e.preventDefault();
        void send();
      }}
    >
      <Show when={props.disabled && props.disabledReason}>
        <p class="composer-note">{props.disabledReason}</p>
      </Show>
      <Show when={asking()} keyed>
        {(now) =>
          now.kind === 'prompt' ? (
            <ArgumentsForm
              title={now.prompt.title ?? now.prompt.name}
              description={now.prompt.description}
              fields={now.prompt.arguments}
              action={t('composer.insert')}
              complete={(name, value, context) =>
                suggestionsFor(now.prompt.serverId, { type: 'prompt', name: now.prompt.name }, { name, value }, context)
              }
              onSubmit={(values) => insertPrompt(now.prompt, values)}
              onCancel={() => cancelAsking()}
            />
          ) : (
            <ArgumentsForm
              title={now.template.title ?? now.template.name}
              description={now.template.description}
              fields={now.template.variables.map((name) => ({ name, description: null, required: true }))}
              action={t('composer.attach')}
              complete={(name, value, context) =>
                suggestionsFor(now.template.serverId, { type: 'resource', uri: now.template.uriTemplate }, { name, value }, context)
              }
              onSubmit={async (values) => {
                const uri = expandUriTemplate(now.template.uriTemplate, values);
                attach({ serverId: now.template.serverId, uri, name: uri }, now.trigger);
              }}
              onCancel={() => cancelAsking()}
            />
          )
        }
      </Show>
      <AttachmentChips attachments={attachments()} onRemove={(gone) => setAttachments((now) => now.filter((a) => a !== gone))} />
      <Show when={props.files}>{(files) => <ComposerFiles files={files()} />}</Show>
      <div class="composer-box">
        <Show when={picking()}>
          {(kind) => (
            <PickerList
              id={listId}
              label={kind() === 'prompts' ? t('composer.prompts') : t('composer.resources')}
              options={shown().map(optionOf)}
              active={active()}
              onChoose={choose}
              onActive={setActive}
              empty={emptyText(trigger()!, listed())}
              notes={pickerNotes()}
            />
          )}
        </Show>
        <Show when={props.files}>{(files) => <AttachFilesButton onFiles={files().add} />}</Show>
        <textarea
          ref={box}
          class="composer-input"
          rows={1}
          maxLength={LIMITS.message}
          placeholder={props.placeholder ?? (props.lists ? t('composer.placeholderWithLists') : t('composer.placeholder'))}
          aria-label={t('composer.message')}
          aria-autocomplete={props.lists ? 'list' : undefined}
          aria-controls={picking() ? listId : undefined}
          aria-activedescendant={picking() && shown().length > 0 ? optionId(listId, active()) : undefined}
          value={text()}
          onInput={(e) => {
            setText(e.currentTarget.value);
            fitHeight();
            readTrigger();
          }}
          onClick={readTrigger}
          onPaste={(e) => props.files?.paste(e)}
          onFocus={() => setFocused(true)}
          onBlur={() => setFocused(false)}
          onKeyUp={(e) => {
            if (['ArrowLeft', 'ArrowRight', 'Home', 'End'].includes(e.key)) readTrigger();
          }}
          onKeyDown={(e) => {
            if (picking() && pickerKey(e)) return;
            // isComposing: Enter that confirms an IME composition (Japanese, Chinese…) is not a send.
            if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
              e.preventDefault();
              void send();
            }
          }}
          autofocus
        />
        <Show
          when={props.running}
          fallback={
            <button type="submit" class="send-button" aria-label={t('composer.send')} disabled={!canSend()}>
              <Icon name="send" />
            </button>
          }
        >
          <button type="button" class="send-button stop" aria-label={t('composer.stop')} onClick={() => props.onStop?.()}>
            <Icon name="stop" />
          </button>
        </Show>
      </div>
      <Show when={notes().length > 0}>
        <ul class="composer-notes" aria-live="polite">
          <For each={notes()}>{(note) => <li>{note}</li>}</For>
        </ul>
      </Show>
      <p class="composer-hint">{t('composer.hint')}</p>
    </form>
  );

  /** Arrows, Enter and Escape while a picker is open; true when the key was the picker's. */
  function pickerKey(e: KeyboardEvent): boolean {
    const count = shown().length;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      if (count > 0) setActive((i) => (i + (e.key === 'ArrowDown' ? 1 : count - 1)) % count);
      return true;
    }
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      choose(active());
      return true;
    }
    if (e.key === 'Escape') {
      e.preventDefault();
      setDismissed(trigger());
      return true;
    }
    return false;
  }

  function cancelAsking(): void {
    setAsking(null);
    setDismissed(trigger());
    box.focus();
  }
}

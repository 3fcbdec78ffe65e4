/**
 * What a tool's result held beyond text: images and audio from data: URLs, embedded resources with
 * their text, and resource links by name and URI. A resource's URI is never a link: "Open" reads
 * it through the server (resources/read, ResourceOpener), never the browser.
 */
import { For, Show } from 'solid-js';
import { SHOWN_AUDIO_TYPES, SHOWN_IMAGE_TYPES, type ToolMedia } from '../../../shared/chat-events.ts';
import type { ResourceContentDto, ResourceReadDto } from '../../../shared/servers.ts';
import { ResourceOpener } from './ResourceOpener.tsx';
import { t } from '../../../shared/i18n/t.ts';

/** `serverId`: the tool's server, through which its resources are read; without one, they are not offered to open. */
export function ToolMediaView(props: { media: ToolMedia[]; toolTitle: string; serverId?: string | null }) {
  return (
    <div class="tool-media">
      <For each={props.media}>
        {(piece) => <MediaPiece piece={piece} alt={t('resource.resultOf', props.toolTitle)} serverId={props.serverId} />}
      </For>
    </div>
  );
}

function MediaPiece(props: { piece: ToolMedia; alt: string; serverId?: string | null | undefined }) {
  const piece = props.piece;
  switch (piece.kind) {
    // The server checked the types already; checked again, because whatever reaches a data: URL decides how it is read.
    case 'image':
      return (
        <Show when={SHOWN_IMAGE_TYPES.includes(piece.mimeType)}>
          <img class="tool-image" src={`data:${piece.mimeType};base64,${piece.data}`} alt={props.alt} />
        </Show>
      );
    case 'audio':
      return (
        <Show when={SHOWN_AUDIO_TYPES.includes(piece.mimeType)}>
          {/* biome-ignore lint/a11y/useMediaCaption: a tool's audio comes with no captions to offer; what it said in text is in the result. */}
          <audio class="tool-audio" controls src={`data:${piece.mimeType};base64,${piece.data}`} />
        </Show>
      );
    case 'resource':
      return (
        <figure class="tool-resource">
          <figcaption class="small-text">
            <Show when={piece.name}>
              <span class="tool-resource-name">{piece.name}</span>{' '}
            </Show>
            <span class="tool-resource-uri">{piece.uri}</span>
            <Show when={piece.mimeType}>
              {' '}
              <span class="muted">({piece.mimeType})</span>
            </Show>
          </figcaption>
          <Show when={piece.text !== undefined}>
            <pre class="result-text">{piece.text}</pre>
          </Show>
          <Show when={props.serverId}>
            {(serverId) => (
              <ResourceOpener serverId={serverId()} uri={piece.uri} label={piece.name ?? piece.uri}>
                {(read) => <ReadView read={read} opened={piece.uri} label={piece.name ?? piece.uri} />}
              </ResourceOpener>
            )}
          </Show>
        </figure>
      );
  }
}

/** A resource as read: text in <pre>, images and audio as a tool card shows them, and what was left out. */
function ReadView(props: { read: ResourceReadDto; opened: string; label: string }) {
  return (
    <div class="resource-read">
      <For each={props.read.contents}>
        {(content) => (
          <>
            {/* A read may answer with pieces at other URIs: each is named, except the one that was opened. */}
            <Show when={content.uri !== props.opened}>
              <p class="small-text tool-resource-uri">{content.uri}</p>
            </Show>
            <ReadPiece content={content} alt={props.label} />
          </>
        )}
      </For>
      <Show when={props.read.contents.length === 0 && props.read.leftOut.length === 0}>
        <p class="small-text muted">{t('resource.empty')}</p>
      </Show>
      <Show when={props.read.leftOut.length > 0}>
        <ul class="small-text muted resource-left-out">
          <For each={props.read.leftOut}>{(line) => <li>{line}</li>}</For>
        </ul>
      </Show>
    </div>
  );
}

function ReadPiece(props: { content: ResourceContentDto; alt: string }) {
  const content = props.content;
  if (!('data' in content)) return <pre class="result-text">{content.text}</pre>;
  const piece: ToolMedia = isImageType(content.mimeType)
    ? { kind: 'image', mimeType: content.mimeType, data: content.data }
    : { kind: 'audio', mimeType: content.mimeType, data: content.data };
  return <MediaPiece piece={piece} alt={props.alt} />;
}

const isImageType = (type: string): type is (typeof SHOWN_IMAGE_TYPES)[number] => (SHOWN_IMAGE_TYPES as readonly string[]).includes(type);

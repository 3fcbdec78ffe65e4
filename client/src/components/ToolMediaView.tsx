/**
 * What a tool's result held beyond text: images and audio from data: URLs, embedded resources with
 * their text, and resource links by name and URI. Links are plain text, not links: reading a
 * resource goes through the server (resources/read), never the browser.
 */
import { For, Show } from 'solid-js';
import { SHOWN_AUDIO_TYPES, SHOWN_IMAGE_TYPES, type ToolMedia } from '../../../shared/chat-events.ts';

export function ToolMediaView(props: { media: ToolMedia[]; toolTitle: string }) {
  return (
    <div class="tool-media">
      <For each={props.media}>{(piece) => <MediaPiece piece={piece} toolTitle={props.toolTitle} />}</For>
    </div>
  );
}

function MediaPiece(props: { piece: ToolMedia; toolTitle: string }) {
  const piece = props.piece;
  switch (piece.kind) {
    // The server checked the types already; checked again, because whatever reaches a data: URL decides how it is read.
    case 'image':
      return (
        <Show when={SHOWN_IMAGE_TYPES.includes(piece.mimeType)}>
          <img class="tool-image" src={`data:${piece.mimeType};base64,${piece.data}`} alt={`Result of ${props.toolTitle}`} />
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
        </figure>
      );
  }
}

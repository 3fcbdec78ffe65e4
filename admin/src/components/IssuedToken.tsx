/** A freshly issued token: shown this once, with a copy button, until the admin says they have it. */
import { createSignal } from 'solid-js';

export function IssuedToken(props: { token: string; onDone: () => void }) {
  const [copied, setCopied] = createSignal<string | null>(null);
  let field: HTMLInputElement | undefined;
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(props.token);
      setCopied('Copied to the clipboard.');
    } catch {
      field?.select();
      setCopied('The browser did not allow copying: the token is selected, copy it with the keyboard.');
    }
  };
  return (
    <section class="issued" aria-label="New token">
      <p class="strong">Copy this token now: it is not shown again, and only its hash is kept.</p>
      <div class="row">
        <input
          ref={field}
          class="input mono"
          readOnly
          value={props.token}
          aria-label="New token value"
          onFocus={(e) => e.currentTarget.select()}
        />
        <button class="button primary" type="button" onClick={() => void copy()}>
          Copy
        </button>
        <button class="button" type="button" onClick={() => props.onDone()}>
          Done
        </button>
      </div>
      <p class="muted small" role="status">
        {copied() ?? ''}
      </p>
    </section>
  );
}

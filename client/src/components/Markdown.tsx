/**
 * Sanitised markdown (see markdown/render.ts), re-rendered as tokens stream in. Each code block
 * gets a language label and a Copy button, added with DOM calls after sanitising so no markup
 * from the model is ever trusted for them.
 */
import { createEffect } from 'solid-js';
import { copyText } from '../lib/clipboard.ts';
import { renderMarkdown } from '../markdown/render.ts';
import { t } from '../../../shared/i18n/t.ts';

export function Markdown(props: { text: string; class?: string }) {
  let container!: HTMLDivElement;
  createEffect(() => {
    container.innerHTML = renderMarkdown(props.text);
    for (const pre of container.querySelectorAll('pre')) decorateCodeBlock(pre);
  });
  return <div ref={container} class={`markdown ${props.class ?? ''}`} />;
}

function decorateCodeBlock(pre: HTMLPreElement) {
  const bar = document.createElement('div');
  bar.className = 'code-bar';
  const label = document.createElement('span');
  label.textContent = pre.dataset.language || 'text';
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'code-copy';
  button.textContent = t('message.copy');
  button.setAttribute('aria-label', t('code.copyCode', label.textContent));
  button.addEventListener('click', async () => {
    const copied = await copyText(pre.querySelector('code')?.textContent ?? '');
    button.textContent = copied ? t('message.copied') : t('message.copyFailed');
    setTimeout(() => (button.textContent = t('message.copy')), 1500);
  });
  bar.append(label, button);
  const wrapper = document.createElement('div');
  wrapper.className = 'code-block';
  pre.replaceWith(wrapper);
  wrapper.append(bar, pre);
}

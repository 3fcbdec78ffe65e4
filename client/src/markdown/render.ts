/**
 * Markdown from the model or a tool, turned into HTML that cannot run anything: raw HTML in the
 * text is shown as text, images become links (an image URL the model writes would otherwise be
 * fetched at once, which a prompt injection can use to send data away), and DOMPurify cleans
 * whatever is left, with only formatting tags and no style or event attributes.
 */
import DOMPurify from 'dompurify';
import { Marked, type Tokens } from 'marked';
import { highlightCode } from './highlight.ts';

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const markdown = new Marked({
  gfm: true,
  breaks: true,
  async: false,
  renderer: {
    html: ({ text }: Tokens.HTML | Tokens.Tag) => escapeHtml(text),
    image: ({ href, text }: Tokens.Image) => `<a href="${escapeHtml(href)}">${escapeHtml(text || href)}</a>`,
    code({ text, lang }: Tokens.Code) {
      const language = (lang ?? '').trim().split(/\s+/)[0]!.toLowerCase();
      const highlighted = highlightCode(text, language);
      const label = language ? ` data-language="${escapeHtml(language)}"` : '';
      return `<pre${label}><code class="hljs">${highlighted ?? escapeHtml(text)}</code></pre>`;
    },
  },
});

const purifier = DOMPurify();
purifier.addHook('afterSanitizeAttributes', (node) => {
  if (node.tagName === 'A') {
    node.setAttribute('target', '_blank');
    node.setAttribute('rel', 'noopener noreferrer nofollow');
  }
  if (node.tagName === 'INPUT') {
    node.setAttribute('type', 'checkbox');
    node.setAttribute('disabled', '');
  }
});

const ALLOWED_TAGS = [
  'a',
  'b',
  'blockquote',
  'br',
  'code',
  'del',
  'em',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'hr',
  'i',
  'input',
  'li',
  'ol',
  'p',
  'pre',
  'span',
  'strong',
  'table',
  'tbody',
  'td',
  'th',
  'thead',
  'tr',
  'ul',
];

export function renderMarkdown(text: string): string {
  const html = markdown.parse(text) as string;
  return purifier.sanitize(html, {
    ALLOWED_TAGS,
    // `input` only as GFM's disabled task-list checkbox; `class` for highlight.js spans.
    ALLOWED_ATTR: ['href', 'title', 'class', 'data-language', 'type', 'checked', 'disabled', 'align', 'start'],
    ALLOWED_URI_REGEXP: /^(?:https?:|mailto:|#)/i,
  });
}

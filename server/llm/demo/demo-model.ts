/**
 * The offline demo model's "thinking": plain rules, no weights. It calls a tool when the
 * person's latest message names one of the offered tools (by its name or obvious words like
 * "note", "time", "calculate"), summarises tool results, acknowledges rejected calls kindly,
 * says plainly when a call was cut off, and otherwise says what it is and what it can do. Each
 * pattern takes time in proportion to the text it reads (see demo-arguments.ts), and READ_LIMIT
 * bounds that text besides.
 */
import { inferArguments } from './demo-arguments.ts';

export interface WireMessage {
  role: string;
  content?: unknown;
  tool_calls?: { id: string; function: { name: string; arguments: string } }[];
  tool_call_id?: string;
}

export interface WireTool {
  type: string;
  function: { name: string; description?: string; parameters?: unknown };
}

export type DemoReply = { kind: 'text'; text: string } | { kind: 'tool_call'; name: string; arguments: Record<string, unknown> };

const LABEL = "(I'm Countersign's offline demo model: rules, not a real LLM.)";

/**
 * The rules read only the start of a message: every request they understand fits well within it,
 * and what a reply costs stays small whatever is sent.
 */
const READ_LIMIT = 4_000;

/** Words that point to a kind of tool even when its name is not typed out. */
const topics: { words: RegExp; tool: RegExp }[] = [
  { words: /\bnotes?\b/i, tool: /note/i },
  { words: /\b(time|clock|date|today)\b/i, tool: /time|clock|date/i },
  { words: /\b(calculate|compute|calc|math|sum|multiply|divide)\b|\d\s*[-+*/^]\s*\d/i, tool: /calc|math|eval|compute|add|sum/i },
  { words: /\b(echo|repeat)\b/i, tool: /echo/i },
];

export function demoReply(received: readonly WireMessage[], tools: readonly WireTool[]): DemoReply {
  // The demo sees no images: a message of tool results' images (agent/transcript.ts) is not the person speaking.
  const messages = received.filter((m) => !isToolImages(m));
  const last = messages.at(-1);
  const instructions = messages
    .filter((m) => m.role === 'system')
    .map((m) => textOf(m.content))
    .join('\n');
  if (last?.role === 'tool') return { kind: 'text', text: afterTools(messages) };
  const said = textOf(last?.content).slice(0, READ_LIMIT);
  // The agent's title prompt starts "Write a title"; other prompts may mention titles of notes.
  if (/\bwrite a title\b/i.test(instructions)) return { kind: 'text', text: titleFrom(said) };
  const match = pickTool(said, tools);
  if (match) {
    return {
      kind: 'tool_call',
      name: match.tool.function.name,
      arguments: inferArguments(said, match.tool.function.parameters, match.rest),
    };
  }
  const offer = tools.length
    ? ` I can call your tools when you name one, e.g. ${tools
        .slice(0, 3)
        .map((t) => `"${t.function.name}"`)
        .join(', ')}.`
    : ' Connect an MCP server and enable it in this chat, then ask me to use one of its tools.';
  return { kind: 'text', text: `${LABEL} You said: "${said.slice(0, 200)}".${offer}` };
}

function pickTool(said: string, tools: readonly WireTool[]): { tool: WireTool; rest: string } | undefined {
  const lower = said.toLowerCase();
  // A tool named outright wins; the longest name, so "create_note" beats "note".
  const named = tools
    .flatMap((tool) => namesOf(tool.function.name).map((name) => ({ tool, name })))
    .filter(({ name }) => new RegExp(`\\b${escapeRegExp(name)}\\b`, 'i').test(lower))
    .sort((a, b) => b.name.length - a.name.length)[0];
  if (named) return { tool: named.tool, rest: restAfter(said, named.name) };
  for (const topic of topics) {
    const word = said.match(topic.words);
    if (!word) continue;
    const candidates = tools.filter((t) => topic.tool.test(t.function.name));
    // Prefer the tool whose name holds a verb the person used ("create a note" → create_note, not list_notes).
    const tool =
      candidates.find((t) =>
        namesOf(t.function.name)[0]!
          .split(/[_\-\s]/)
          .some((part) => part.length > 2 && lower.includes(part)),
      ) ?? candidates[0];
    if (tool) return { tool, rest: restAfter(said, word[0]) };
  }
  return undefined;
}

/** The unique name, and the tool's own name after a server prefix ("mcp__notes__create_note" → "create_note"). */
function namesOf(uniqueName: string): string[] {
  const original = uniqueName.split(/__|\./).at(-1) ?? uniqueName;
  const names = [uniqueName.toLowerCase(), original.toLowerCase(), original.toLowerCase().replace(/[_-]/g, ' ')];
  return [...new Set(names)].filter((n) => n.length > 2);
}

function restAfter(said: string, word: string): string {
  const at = said.toLowerCase().indexOf(word.toLowerCase());
  const rest = at < 0 ? said : said.slice(at + word.length);
  return rest.replace(/^[\s:,]*(?:(?:with|the|for|of|that|to|saying|please)\b\s*)*/i, '').trim();
}

function afterTools(messages: readonly WireMessage[]): string {
  let start = messages.length;
  while (start > 0 && messages[start - 1]!.role === 'tool') start--;
  const results = messages.slice(start);
  const calls = new Map(messages[start - 1]?.tool_calls?.map((c) => [c.id, c.function.name]) ?? []);
  const outcomes = results.map((result) => {
    const uniqueName = calls.get(result.tool_call_id ?? '');
    // The tool's own name reads better than the server-prefixed one the model calls.
    const name = uniqueName ? `\`${uniqueName.split('__').at(-1)}\`` : 'the tool';
    const text = textOf(result.content);
    return { why: whyNotRun(text), line: lineFor(name, text) };
  });
  const close = outcomes.some((o) => o.why === 'interrupted')
    ? 'Please check whether it took effect before you ask me to run it again.'
    : outcomes.every((o) => o.why === 'person')
      ? 'No problem. Tell me how you would like to go on, or ask me something else.'
      : 'Anything else?';
  return `${outcomes.map((o) => o.line).join('\n')}\n${close}`;
}

/** Why a call did not run, from how agent/prompts.ts words it; undefined when it ran. */
function whyNotRun(text: string): 'person' | 'interrupted' | 'unavailable' | undefined {
  if (text.startsWith('Not run again:')) return 'interrupted';
  if (text.startsWith('Not run: the person')) return 'person';
  if (text.startsWith('Not run:')) return 'unavailable';
  return undefined;
}

function lineFor(name: string, text: string): string {
  switch (whyNotRun(text)) {
    case 'person': {
      const reason = personsReason(text);
      return reason ? `I did not run ${name}, as you decided, because “${reason}”.` : `I did not run ${name}, as you decided.`;
    }
    case 'interrupted':
      return `${name} was cut off when the server stopped, so I cannot tell whether it took effect. I did not run it again, so it cannot happen twice.`;
    case 'unavailable':
      return `I could not run ${name}: ${text.slice('Not run: '.length)}`;
    case undefined: {
      const shown = text.length > 300 ? `${text.slice(0, 300)}…` : text;
      return `Here is what ${name} returned:\n\n${shown
        .split('\n')
        .map((line) => `> ${line}`)
        .join('\n')}\n`;
    }
  }
}

/** The reason the person gave for rejecting a call, as agent/prompts.ts words it: "… (reason: …). Do not propose …". */
function personsReason(text: string): string | undefined {
  return /\((?:reason: )?(.+)\)\. Do not propose/s.exec(text)?.[1];
}

/** The title prompt (agent/title.ts) sends "Person: …\n\nAssistant: …"; the person's words make the title. */
function titleFrom(said: string): string {
  const person = said.replace(/^Person:\s*/i, '');
  const end = person.indexOf('\n\nAssistant:');
  const exchange = end < 0 ? person : person.slice(0, end);
  const words = exchange
    .replace(/[^\p{L}\p{N}\s/+*-]/gu, ' ')
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 6);
  return words.length ? words.join(' ').replace(/^./, (c) => c.toUpperCase()) : 'Demo chat';
}

/** A person's messages are text: a user message with images is the one that shows tool results' images. */
function isToolImages(message: WireMessage): boolean {
  return message.role === 'user' && Array.isArray(message.content) && message.content.some((part) => part?.type === 'image_url');
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((part) => (typeof part?.text === 'string' ? part.text : '')).join('');
  return '';
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * What an MCP server asks of the person while one of their tool calls runs, as the chat shows it:
 * a form to fill in or a link to open (elicitation), or a request to use the chat's model on the
 * server's behalf (sampling). A question belongs to one chat and one tool call, waits like an
 * approval, and is answered with `chats.answerQuestion`.
 */
import type { ElicitationValue } from './elicitation-defaults.ts';

/** The flat form schema MCP elicitation allows: one level of primitive fields (MCP 2025-11-25 `requestedSchema`). */
export interface ElicitationSchema {
  type: 'object';
  properties: Record<string, ElicitationField>;
  required?: string[];
}

export type ElicitationField =
  | {
      type: 'string';
      title?: string;
      description?: string;
      minLength?: number;
      maxLength?: number;
      format?: 'email' | 'uri' | 'date' | 'date-time';
      default?: string;
      /** A single choice: `enum` values, labelled by `enumNames` (legacy) or given as `oneOf` {const, title}. */
      enum?: string[];
      enumNames?: string[];
      oneOf?: { const: string; title?: string }[];
    }
  | { type: 'number' | 'integer'; title?: string; description?: string; minimum?: number; maximum?: number; default?: number }
  | { type: 'boolean'; title?: string; description?: string; default?: boolean }
  | {
      /** Several choices. */
      type: 'array';
      title?: string;
      description?: string;
      minItems?: number;
      maxItems?: number;
      items: { type?: 'string'; enum?: string[]; anyOf?: { const: string; title?: string }[] };
      default?: string[];
    };

interface QuestionBase {
  id: string;
  threadId: string;
  /** The tool call during which the server asked. */
  toolCallId: string;
  serverId: string;
  serverName: string;
  askedAt: string;
}

/** A form to fill in: Accept sends the values, Decline says no, Cancel dismisses without choosing. */
export interface FormElicitation extends QuestionBase {
  kind: 'elicitation';
  mode: 'form';
  message: string;
  requestedSchema: ElicitationSchema;
}

/** A link the server wants the person to open (to sign in somewhere, pay, consent): opened only after they confirm. */
export interface UrlElicitation extends QuestionBase {
  kind: 'elicitation';
  mode: 'url';
  message: string;
  url: string;
  /** The link's full host name, shown so the person sees where it leads before opening it. */
  domain: string;
}

/** One message of a sampling request, as the person reviews it. */
export interface SamplingMessageView {
  role: 'user' | 'assistant';
  /** The text, or a line naming what is not text (an image, audio, a tool result). */
  text: string;
}

/**
 * The server wants the chat's model to write a reply: first the request is shown for approval
 * (`stage: 'request'`), then the model's reply, before it is sent back (`stage: 'result'`).
 */
export interface SamplingQuestion extends QuestionBase {
  kind: 'sampling';
  stage: 'request' | 'result';
  messages: SamplingMessageView[];
  systemPrompt?: string;
  /** What the server would prefer (hints, priorities); the chat's model is what runs. */
  modelPreferences?: { hints: string[]; costPriority?: number; speedPriority?: number; intelligencePriority?: number };
  /** The reply is cut to this many tokens: the smaller of what the server asked and the admin's cap. */
  maxTokens: number;
  /** At `stage: 'result'`: what the model wrote, and which model. */
  result?: { text: string; model: string; stopReason?: string };
}

export type PendingQuestion = FormElicitation | UrlElicitation | SamplingQuestion;

/** A person's answer. Elicitation: accept (with the form's values, none for a link), decline or cancel. Sampling: approve or reject. */
export type QuestionAnswer =
  | { action: 'accept'; content?: Record<string, ElicitationValue> }
  | { action: 'decline' }
  | { action: 'cancel' }
  | { action: 'approve' }
  | { action: 'reject' };

/** How a question ended: answered, or withdrawn because its call ended (finished, cancelled, timed out, the server gave up). */
export type QuestionOutcome = 'accepted' | 'declined' | 'cancelled' | 'approved' | 'rejected' | 'withdrawn';

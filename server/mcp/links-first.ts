/**
 * A 2025 server may refuse a call until the person has opened a link (error -32042, URL
 * elicitation required: to sign in somewhere, or consent). The person is asked to open each link,
 * as for any URL elicitation, and the call is tried once more only if they opened them all.
 */
import type { UrlElicitationRequiredError } from '@modelcontextprotocol/client';
import type { PersonQuestions } from '../agent/tool-port.ts';
import type { CallClock } from './call-clock.ts';

export async function openedLinksFirst(error: UrlElicitationRequiredError, questions: PersonQuestions, clock: CallClock): Promise<boolean> {
  for (const { url, message } of error.elicitations) {
    const reply = await clock.whilePersonAnswers(() => questions.elicit({ mode: 'url', url, message, roundTrip: true }, clock.signal));
    if (reply.action !== 'accept') return false;
  }
  return error.elicitations.length > 0;
}

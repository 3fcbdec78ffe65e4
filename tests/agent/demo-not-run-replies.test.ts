/**
 * What the offline demo model says about a call that did not run, for each reason the agent gives
 * it (worded in server/agent/prompts.ts): "as you decided" only when the person decided.
 */
import { expect, test } from 'bun:test';
import { notRunText } from '../../server/agent/prompts.ts';
import { demoReply, type WireMessage } from '../../server/llm/demo/demo-model.ts';

function replyAfter(toolText: string): string {
  const messages: WireMessage[] = [
    { role: 'user', content: 'save a note' },
    { role: 'assistant', tool_calls: [{ id: 'call-1', function: { name: 'notes__create_note', arguments: '{}' } }] },
    { role: 'tool', tool_call_id: 'call-1', content: toolText },
  ];
  const reply = demoReply(messages, []);
  if (reply.kind !== 'text') throw new Error('expected a text reply');
  return reply.text;
}

test('rejected by the person: as they decided, and why when they said', () => {
  expect(replyAfter(notRunText('rejected', 'not now'))).toBe(
    'I did not run `create_note`, as you decided, because “not now”.\nNo problem. Tell me how you would like to go on, or ask me something else.',
  );
  expect(replyAfter(notRunText('rejected'))).toBe(
    'I did not run `create_note`, as you decided.\nNo problem. Tell me how you would like to go on, or ask me something else.',
  );
  expect(replyAfter(notRunText('repeated'))).toStartWith('I did not run `create_note`, as you decided.');
});

test('cut off by a server stop: its effect is unknown, and it was not run twice', () => {
  expect(replyAfter(notRunText('already_started'))).toBe(
    '`create_note` was cut off when the server stopped, so I cannot tell whether it took effect. I did not run it again, so it cannot happen twice.\n' +
      'Please check whether it took effect before you ask me to run it again.',
  );
});

test('not available: says why, not that the person decided', () => {
  expect(replyAfter(notRunText('denied', 'an admin turned it off'))).toBe(
    'I could not run `create_note`: this tool is not available in this chat (an admin turned it off).\nAnything else?',
  );
  expect(replyAfter(notRunText('gone'))).toStartWith('I could not run `create_note`: the tool was removed or disallowed');
});

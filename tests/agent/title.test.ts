import { afterEach, beforeEach, describe, expect, test } from 'bun:test';
import { cleanTitle, fallbackTitle } from '../../server/agent/title.ts';
import { startOpenAIFixture, type OpenAIFixture } from '../fixtures/openai-fixture.ts';
import { collector, createChat, createHarness, USER_ID, type AgentHarness } from './support.ts';

describe('chat titles', () => {
  let fixture: OpenAIFixture;
  let h: AgentHarness;

  beforeEach(() => {
    fixture = startOpenAIFixture();
    h = createHarness({ baseURL: fixture.baseURL });
  });

  afterEach(async () => {
    await fixture.stop();
    h.db.close();
  });

  test('the model writes the title from the first exchange', async () => {
    const { threadId } = createChat(h.db);
    const handler = h.manager.get(USER_ID);
    fixture.script({ kind: 'text', text: 'Paris is lovely in spring.' }, { kind: 'text', text: '"Spring trip to Paris."' });
    await handler.send(threadId, 'Plan a spring trip to Paris', collector());

    expect(await handler.suggestTitle(threadId)).toBe('Spring trip to Paris');
    const request = fixture.requests[1]!.body;
    expect(request.tools).toBeUndefined();
    expect(String(request.messages.at(-1)!.content)).toContain('Plan a spring trip to Paris');
    expect(String(request.messages.at(-1)!.content)).toContain('Paris is lovely in spring.');
  });

  test('when the model fails, the title falls back to the person’s first words', async () => {
    const { threadId } = createChat(h.db);
    const handler = h.manager.get(USER_ID);
    fixture.script({ kind: 'text', text: 'Sure.' });
    await handler.send(threadId, 'Summarise the quarterly report for the board meeting next Tuesday please', collector());
    fixture.fallback({ kind: 'error', status: 400, message: 'nope' });

    expect(await handler.suggestTitle(threadId)).toBe('Summarise the quarterly report for the board meeting next…');
  });

  test('titles are cleaned of quotes, prefixes, trailing punctuation and extra lines', () => {
    expect(cleanTitle('Title: "Budget review."\nMore text')).toBe('Budget review');
    expect(cleanTitle('  **Weekend plans**  ')).toBe('Weekend plans');
    expect(cleanTitle('')).toBe('');
    expect(fallbackTitle('   ')).toBe('New chat');
  });
});

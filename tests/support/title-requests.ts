/** Telling the model requests that ask for a chat's title (the agent's title prompt) from the turns of the chat. */
import { titlePrompt } from '../../server/agent/prompts.ts';
import type { ChatRequestBody, OpenAIFixture } from '../fixtures/openai-fixture.ts';

/** A request for a chat's title, not a turn of it. */
export const isTitleRequest = (body: ChatRequestBody) => body.messages.some((m) => m.role === 'system' && m.content === titlePrompt);

/** The requests a fixture answered that were turns of a chat. */
export const chatTurns = (fixture: OpenAIFixture) => fixture.requests.filter((request) => !isTitleRequest(request.body));

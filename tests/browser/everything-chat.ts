/** A scripted chat (scripted-chat.ts) with the seeded server-everything connected, its calls running without asking. */
import type { SamplingPolicy } from '../../db/schema.ts';
import { EVERYTHING_SERVER_ID } from '../../server/mcp/catalogue-seed.ts';
import type { Reply } from '../fixtures/openai-fixture.ts';
import { type ScriptedChat, startScriptedChat } from './scripted-chat.ts';

export type EverythingChat = ScriptedChat;

export function startEverythingChat(options: {
  title: string;
  turns: Reply[];
  env?: Record<string, string>;
  /** Set on the catalogue entry before the person connects (what the server offers depends on it). */
  entry?: { samplingPolicy?: SamplingPolicy; samplingMaxTokens?: number };
}): Promise<EverythingChat> {
  return startScriptedChat({
    ...options,
    connect: 'Everything',
    // Calls run without asking: approvals are not what these tests are about.
    prepare: (server) => server.catalogue.update(EVERYTHING_SERVER_ID, { trusted: true, defaultPolicy: 'auto', ...options.entry }),
  });
}

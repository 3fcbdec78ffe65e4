/**
 * The network drops in the middle of an answer. The typed client reconnects on its own and
 * resubscribes with the id of the last event it saw; the server replays what it missed. Compared
 * with a tab on a steady connection, the cut one ends up with the same events: no gap, no repeat.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { createCountersignClient } from '../../shared/client.ts';
import { Recorder } from '../support/people.ts';
import type { ChatStreamEvent } from '../../shared/chats.ts';
import { startTcpProxy, type TcpProxy } from './fixtures/tcp-proxy.ts';
import { finalState, follow, newChat, settled, startFaultKit, type FaultKit } from './support.ts';

let kit: FaultKit;
let proxy: TcpProxy;
beforeAll(async () => {
  kit = await startFaultKit();
  proxy = await startTcpProxy(kit.server.url);
});
afterAll(async () => {
  proxy.stop();
  await kit[Symbol.asyncDispose]();
});

const words = Array.from({ length: 40 }, (_, i) => `word${i} `);

test('a WebSocket cut mid-answer: the client reconnects with lastEventId and gets the rest, no gap, no duplicate', async () => {
  const api = kit.person.client.api;
  const chat = await newChat(kit.person);
  const { cursor } = await api.chats.get.query({ chatId: chat.id });
  // The same person in a second tab whose connection runs through the proxy; the upgrade still
  // carries the app's own Origin, as a browser's would.
  const cutTab = createCountersignClient({ url: proxy.url, headers: { cookie: kit.person.cookie, origin: kit.server.url } });
  const cut = new Recorder<ChatStreamEvent>();
  const subscription = cutTab.api.chats.events.subscribe({ chatId: chat.id, lastEventId: cursor }, { onData: cut.push });
  const steady = await follow(kit.person, chat.id, cursor);

  kit.model.script({ kind: 'text', text: words.join(''), tokens: words, delayMs: 20 });
  await api.chats.send.mutate({ chatId: chat.id, text: 'Count to forty, slowly.' });
  await cut.until((e) => e.type === 'token' && e.delta === 'word5 ');
  const seenBeforeCut = cut.events.length;
  expect(proxy.cutAll()).toBeGreaterThan(0);

  expect(await finalState(steady.recorder)).toEqual({ status: 'idle' });
  await cut.until(settled, 15_000);
  subscription.unsubscribe();
  steady.unsubscribe();
  await cutTab.close();

  const ids = (r: Recorder<ChatStreamEvent>) => r.events.map((e) => e.id);
  expect(seenBeforeCut).toBeLessThan(cut.events.length);
  expect(ids(cut)).toEqual(ids(steady.recorder));
  expect(new Set(ids(cut)).size).toBe(cut.events.length);
  const text = cut.events.flatMap((e) => (e.data.type === 'token' ? [e.data.delta] : [])).join('');
  expect(text).toBe(words.join(''));
});

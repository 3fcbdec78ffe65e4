/**
 * What another service writes. Typechecked with skipLibCheck off and no Bun or database types
 * installed: if any server-side type leaked through AppRouter, this would not compile.
 */
import { createCountersignClient, LIMITS, type ChatDto, type RouterOutputs } from 'countersign/client';

type IsAny<T> = 0 extends 1 & T ? true : false;
type Assert<T extends false> = T;
// If the router's type degraded to `any`, every call below would typecheck vacuously.
export type OutputsAreTyped = [Assert<IsAny<RouterOutputs['chats']['list']>>, Assert<IsAny<RouterOutputs['auth']['me']>>];

export async function nightlyReport(token: string): Promise<ChatDto[]> {
  const cs = createCountersignClient({ url: 'https://chat.example.org', token });
  const me = await cs.api.auth.me.query();
  const role: 'user' | 'admin' = me.role;
  const page = await cs.api.chats.list.query({ limit: 10 });
  const chat = await cs.api.chats.create.mutate({ title: `Report for ${me.email ?? role}`.slice(0, LIMITS.title) });
  // @ts-expect-error titles are strings: the client knows the procedure's input type
  await cs.api.chats.rename.mutate({ chatId: chat.id, title: 42 });
  await cs.close();
  return page.items;
}

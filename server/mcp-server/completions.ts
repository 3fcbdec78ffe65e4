/**
 * completion/complete, answered for the caller. The SDK's own completion (`completable`) calls
 * back with the typed text alone, not the request, so it cannot tell whose notes to suggest: in
 * process one server instance serves everyone. This handler reads the caller from the request,
 * as the tools do (caller.ts), and hands it to the argument's completer.
 */
import { type CompleteResult, type McpServer, ProtocolError, ProtocolErrorCode } from '@modelcontextprotocol/server';
import { callerOf } from './caller.ts';

/** The spec's cap on the values of one completion. */
const MAX_VALUES = 100;

/** Values for an argument, for this user, given what they have typed so far; at most MAX_VALUES + 1 are read. */
export type ArgumentCompleter = (userId: string, typed: string, limit: number) => Promise<string[]>;

export interface Completions {
  /** Every prompt of the server by name, with a completer for each argument that has one. */
  prompts: Record<string, Record<string, ArgumentCompleter>>;
  /** Every resource template of the server by its URI template; none of their variables completes. */
  resourceTemplates: string[];
}

/** Installs the handler; the server must declare the `completions` capability. */
export function serveCompletions(server: McpServer, { prompts, resourceTemplates }: Completions): void {
  server.server.setRequestHandler('completion/complete', async ({ params: { ref, argument } }, ctx): Promise<CompleteResult> => {
    if (ref.type === 'ref/resource') {
      if (!resourceTemplates.includes(ref.uri)) throw invalid(`There is no resource template ${ref.uri}.`);
      return { completion: { values: [] } };
    }
    const completers = prompts[ref.name];
    if (!completers) throw invalid(`There is no prompt named ${ref.name}.`);
    const complete = completers[argument.name];
    if (!complete) return { completion: { values: [] } };
    const values = await complete(callerOf(ctx), argument.value, MAX_VALUES + 1);
    return { completion: { values: values.slice(0, MAX_VALUES), hasMore: values.length > MAX_VALUES } };
  });
}

/** What the spec asks for a completion of something the server does not have. */
function invalid(message: string): ProtocolError {
  return new ProtocolError(ProtocolErrorCode.InvalidParams, message);
}

/**
 * The client the official MCP conformance suite drives (`conformance client --command ...`): it
 * runs the real MCP layer (catalogue entry → MCPHandler.connect → listTools → callTool) against
 * the scenario's server, whose URL the suite appends as the last argument. It lives with the
 * tests because it exists only for the suite; it keeps its database in memory.
 *
 * For the auth scenarios it plays the person too: when a server needs them to sign in, it starts
 * the sign-in as the web chat's "Sign in" link does (McpSignIn.start), follows the authorisation
 * server's redirect as a browser would (the suite's authorisation server approves at once), and
 * hands the callback's query to McpSignIn.finish, the code behind /mcp-oauth/callback. The
 * scenario's context (MCP_CONFORMANCE_CONTEXT) supplies what an admin would enter in the
 * catalogue: pre-registered client credentials, or a service's client id and secret or key.
 *
 * Exit status 0 when every step worked, 1 otherwise (the suite reports a failing client).
 */
import { openSqliteDatabase } from '../../db/database.ts';
import { LocalControlChannel } from '../../server/cluster/control-channel.ts';
import { createLogger } from '../../server/log.ts';
import type { CatalogueInput } from '../../server/mcp/catalogue.ts';
import { MCPHandlerManager } from '../../server/mcp/mcp-handler-manager.ts';
import { McpSignIn } from '../../server/mcp/oauth/sign-in.ts';
import type { PersonQuestions } from '../../server/agent/tool-port.ts';
import { elicitationDefaults } from '../../shared/elicitation-defaults.ts';
import type { JsonSchemaObject } from '../../server/mcp/types.ts';
import { catalogueService, createUser, testServerAuth } from './support.ts';

/** The URL the suite's authorisation servers expect as a client id when they accept metadata documents. */
const CIMD_CLIENT_METADATA_URL = 'https://conformance-test.local/client-metadata.json';
/** A person who signs in this many times and is still refused gives up (auth/scope-retry-limit). */
const MAX_SIGN_INS = 3;
const ORIGIN = 'http://127.0.0.1:1';

/** A plausible value for each required argument, from its JSON schema type. */
function sampleArguments(schema: JsonSchemaObject): Record<string, unknown> {
  const properties = (schema.properties ?? {}) as Record<string, { type?: string }>;
  const required = (schema.required ?? []) as string[];
  const samples: Record<string, unknown> = { number: 1, integer: 1, string: 'conformance', boolean: true, array: [], object: {} };
  return Object.fromEntries(required.map((name) => [name, samples[properties[name]?.type ?? 'string'] ?? null]));
}

/** What an admin would enter in the catalogue for this scenario. */
function authFields(scenario: string, context: Record<string, string>): Partial<CatalogueInput> {
  if (scenario.startsWith('auth/client-credentials-'))
    return {
      authMode: 'client-credentials',
      oauthClientId: context.client_id,
      oauthClientSecret: context.client_secret ?? context.private_key_pem,
    };
  if (scenario === 'auth/pre-registration')
    return { authMode: 'oauth', oauthClientId: context.client_id, oauthClientSecret: context.client_secret };
  return scenario.startsWith('auth/') ? { authMode: 'oauth' } : {};
}

/** The person's browser: follows the authorisation server's redirect back to the callback URL. */
async function authorizeInBrowser(authorizationUrl: string): Promise<URLSearchParams> {
  const response = await fetch(authorizationUrl, { redirect: 'manual' });
  const location = response.headers.get('location');
  if (!location) throw new Error(`the authorisation server answered ${response.status} without a redirect`);
  return new URL(location).searchParams;
}

const url = process.argv.at(-1);
if (!url?.startsWith('http')) {
  console.error('usage: conformance-client.ts <server url>');
  process.exit(2);
}
const scenario = process.env.MCP_CONFORMANCE_SCENARIO ?? '';
const context = JSON.parse(process.env.MCP_CONFORMANCE_CONTEXT ?? '{}') as Record<string, string> & {
  /** The calls a scenario wants made, with its own arguments (http-custom-headers' encoding cases). */
  toolCalls?: { name: string; arguments: Record<string, unknown> }[];
};
/** Scenarios about what a client does with a tool list: it lists, and calls nothing (json-schema-ref-no-deref). */
const LIST_ONLY = new Set(['json-schema-ref-no-deref']);
/**
 * Calls a scenario makes fail on purpose, beside what it checks: the SDK refuses a 2026-07-28 result
 * without `resultType` (a MUST for servers of that revision), where the suite's own client takes it
 * as complete; the scenario checks only the retries around it.
 */
const EXPECTED_TO_FAIL: Record<string, string[]> = { 'sep-2322-client-request-state': ['test_mrtr_no_result_type'] };

const log = createLogger('warn').child({ scenario });
const db = openSqliteDatabase(':memory:');
const control = new LocalControlChannel();
const auth = testServerAuth(db, ORIGIN, { clientMetadataUrl: CIMD_CLIENT_METADATA_URL });
const catalogue = catalogueService(db, control, log, auth);
const signIn = new McpSignIn({ catalogue, auth, origin: () => ORIGIN });
/** The person, as the scenarios expect them: a form is accepted as the server filled it in (its defaults). */
const person: PersonQuestions = {
  chatId: 'conformance',
  elicit: async (request) =>
    request.mode === 'url' ? { action: 'accept' } : { action: 'accept', content: elicitationDefaults(request.requestedSchema) },
  sample: async () => ({ action: 'rejected', reason: 'the conformance person does not sample' }),
};
const manager = new MCPHandlerManager({
  db,
  catalogue,
  log,
  config: { toolTimeoutMs: 20_000 },
  origin: () => ORIGIN,
  control,
  auth,
});
let failed = false;
let signIns = 0;
try {
  const entry = await catalogue.create({ name: 'Conformance', transport: 'streamable-http', url, ...authFields(scenario, context) });
  const userId = await createUser(db, 'conformance');
  const handler = manager.forUser(userId);

  /** Signs the person in when the server asks; false once they have tried as often as a person would. */
  const signInAgain = async (): Promise<boolean> => {
    if (++signIns > MAX_SIGN_INS) return false;
    const authorizationUrl = await signIn.start(userId, entry.id, '/');
    await signIn.finish(userId, await authorizeInBrowser(authorizationUrl));
    return true;
  };

  let state = await handler.connect(entry.id);
  while (state.status === 'needs_sign_in' && (await signInAgain())) state = await handler.connect(entry.id);
  console.error('connect:', JSON.stringify(state));
  if (state.status !== 'connected') failed = true;
  const { tools } = await handler.listTools();
  const echo = tools.find((t) => t.name === 'json_schema_echo');
  for (const tool of tools.filter((t) => !t.held && !LIST_ONLY.has(scenario))) {
    // json-schema-2020-12-preservation: send the other tool's schema back as the layer holds it,
    // proving no JSON Schema keyword was lost on the way to the model.
    const args = context.toolCalls
      ? context.toolCalls.find((call) => call.name === tool.name)?.arguments
      : echo
        ? tool === echo
          ? { schema: tools.find((t) => t !== echo)?.inputSchema }
          : undefined
        : sampleArguments(tool.inputSchema);
    if (!args) continue;
    let outcome = await handler.callTool(tool.uniqueName, args, { questions: person });
    // Step-up: the call needs more scope than the person granted; they sign in again for it.
    while (!outcome.ok && outcome.kind === 'needs-sign-in' && (await signInAgain()))
      outcome = await handler.callTool(tool.uniqueName, args, { questions: person });
    console.error(`${tool.name}:`, JSON.stringify(outcome));
    if (!outcome.ok && !EXPECTED_TO_FAIL[scenario]?.includes(tool.name)) failed = true;
  }
} catch (error) {
  console.error('conformance client failed:', error);
  failed = true;
} finally {
  await manager.closeAll();
  db.close();
}
process.exit(failed ? 1 : 0);

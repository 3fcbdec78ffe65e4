/**
 * What the cluster tests of chats share: instances whose model is the tests' OpenAI-wire stand-in
 * (so the test counts and scripts model calls), a person's calls pinned to one instance, the admin
 * on one instance through GraphQL, and the code a refused call came back with.
 */
import { TRPCClientError } from '@trpc/client';
import { createAdminClient, type AdminClient } from '../../admin/src/api/client.ts';
import { CreateServer } from '../../admin/src/api/operations.ts';
import type { OpenAIFixture } from '../fixtures/openai-fixture.ts';
import type { Cluster, ClusterInstance, ClusterPerson } from './cluster.ts';
import type { Person } from './people.ts';

/** Settings that point every instance at the stand-in model. */
export function modelEnv(model: OpenAIFixture): Record<string, string> {
  return { LLM_PROVIDER: 'openai', LLM_BASE_URL: model.baseURL, LLM_MODEL: 'fixture-model' };
}

/** The person with every call (subscriptions too) going to one instance, for helpers that take a Person. */
export function on(person: ClusterPerson, instance: ClusterInstance): Person {
  return { ...person, client: person.clientOn(instance) };
}

/** Ada (an admin by the provider's ADMINS), signed in through the load balancer, her GraphQL calls going to `instance`. */
export async function adminOn(cluster: Cluster, instance: ClusterInstance): Promise<AdminClient> {
  const ada = await cluster.signIn('ada@countersign.dev');
  return createAdminClient({ url: instance.url, headers: { cookie: ada.cookie } });
}

/** Adds a Streamable HTTP MCP server to the catalogue, asking before each of its tools runs; its id. */
export async function addServer(admin: AdminClient, name: string, url: string): Promise<string> {
  const { createServer } = await admin(CreateServer, { input: { name, transport: 'STREAMABLE_HTTP', url, defaultPolicy: 'ASK' } });
  return createServer.id;
}

/** "accepted", or the tRPC code a call was refused with. */
export function outcomeCode(outcome: PromiseSettledResult<unknown>): string {
  if (outcome.status === 'fulfilled') return 'accepted';
  return outcome.reason instanceof TRPCClientError ? String(outcome.reason.data?.code) : String(outcome.reason);
}

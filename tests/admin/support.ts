/** Admin API test helpers: people signed in through the development provider, and GraphQL over plain fetch. */
import { createAdminClient, type AdminClient } from '../../admin/src/api/client.ts';
import { signIn, type Person } from '../support/people.ts';

export interface Admin extends Person {
  admin: AdminClient;
}

/** Ada is an admin by the development accounts' configuration. */
export async function signInAdmin(appUrl: string, email = 'ada@countersign.dev'): Promise<Admin> {
  const person = await signIn(appUrl, email);
  return { ...person, admin: createAdminClient({ url: appUrl, headers: { cookie: person.cookie } }) };
}

export interface GraphQLAnswer {
  status: number;
  text: string;
  body: { data?: Record<string, unknown> | null; errors?: { message: string; extensions?: { code?: string; errorId?: string } }[] };
}

/** One POST to /graphql with whatever credentials are given; the raw text is kept for grepping. */
export async function postGraphQL(
  appUrl: string,
  query: string,
  options: { headers?: Record<string, string>; variables?: unknown } = {},
): Promise<GraphQLAnswer> {
  const response = await fetch(`${appUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...options.headers },
    body: JSON.stringify({ query, variables: options.variables ?? {} }),
  });
  const text = await response.text();
  return { status: response.status, text, body: JSON.parse(text) };
}

export const codes = (answer: GraphQLAnswer) => (answer.body.errors ?? []).map((e) => e.extensions?.code);

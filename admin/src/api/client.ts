/**
 * A small typed client for the admin API: one POST per operation, typed by the document.
 * Browsers send the session cookie themselves; Bun callers (tests, scripts, other services)
 * pass a cookie or `authorization: Bearer cs_…` in `headers`.
 */
import type { TadaDocumentNode } from 'gql.tada';
import { print } from 'graphql';

export interface AdminApiError {
  message: string;
  /** UNAUTHENTICATED, FORBIDDEN, BAD_USER_INPUT, NOT_FOUND, CONFLICT, INTERNAL_SERVER_ERROR, GRAPHQL_VALIDATION_FAILED… */
  code: string | undefined;
  errorId: string | undefined;
}

/** The operation failed as a whole, or some field of it did: `errors` says which and why. */
export class AdminRequestError extends Error {
  constructor(
    readonly errors: AdminApiError[],
    readonly status: number,
  ) {
    super(errors.map((e) => e.message).join('; ') || `The admin API answered ${status}`);
    this.name = 'AdminRequestError';
  }

  get code(): string | undefined {
    return this.errors[0]?.code;
  }
}

export interface AdminClientOptions {
  /** The server's origin; empty in the browser (same origin). */
  url?: string;
  headers?: Record<string, string>;
  fetch?: typeof fetch;
}

interface WireError {
  message: string;
  extensions?: { code?: string; errorId?: string };
}

/** Variables may be left out when the operation has none. */
type VariablesArg<Variables> = Variables extends Record<string, never> ? [] | [Variables] : [Variables];

export type AdminClient = <Result, Variables>(
  document: TadaDocumentNode<Result, Variables>,
  ...variables: VariablesArg<Variables>
) => Promise<Result>;

export function createAdminClient(options: AdminClientOptions = {}): AdminClient {
  const send = options.fetch ?? fetch;
  const endpoint = `${options.url ?? ''}/graphql`;
  const queries = new WeakMap<object, string>();
  return async function request<Result, Variables>(
    document: TadaDocumentNode<Result, Variables>,
    ...rest: VariablesArg<Variables>
  ): Promise<Result> {
    let query = queries.get(document);
    if (!query) {
      query = print(document);
      queries.set(document, query);
    }
    const response = await send(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...options.headers },
      body: JSON.stringify({ query, variables: rest[0] ?? {} }),
    });
    const body = (await response.json().catch(() => null)) as { data?: unknown; errors?: WireError[] } | null;
    if (!body)
      throw new AdminRequestError(
        [{ message: `The admin API answered ${response.status}`, code: undefined, errorId: undefined }],
        response.status,
      );
    if (body.errors?.length) {
      const errors = body.errors.map((e) => ({ message: e.message, code: e.extensions?.code, errorId: e.extensions?.errorId }));
      throw new AdminRequestError(errors, response.status);
    }
    return body.data as Result;
  };
}

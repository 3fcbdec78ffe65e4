/**
 * A yoga plugin: a span per GraphQL operation (`graphql <operation name>`), with its type, the
 * request's id and whether it answered with errors; never its variables or the caller.
 */
import { SpanKind } from '@opentelemetry/api';
import { getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { currentRequestId } from '../logging/request-context.ts';
import { inSpan } from './spans.ts';

export function tracedOperations(): Plugin {
  return {
    onExecute({ args, executeFn, setExecuteFn }) {
      const operation = getOperationAST(args.document, args.operationName);
      const name = operation?.name?.value ?? 'anonymous';
      const attributes = {
        'graphql.operation.name': name,
        'graphql.operation.type': operation?.operation ?? 'unknown',
        'countersign.request_id': currentRequestId() ?? '',
      };
      setExecuteFn((execution) =>
        inSpan(`graphql ${name}`, { kind: SpanKind.SERVER, attributes }, async (span) => {
          const result = await executeFn(execution);
          span.setAttribute('countersign.outcome', 'errors' in result && result.errors?.length ? 'errors' : 'ok');
          return result;
        }),
      );
    },
  };
}

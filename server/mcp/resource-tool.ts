/**
 * The tool Countersign adds for each connected server that declares `resources`: the model reads a
 * resource a tool result named (`[resource <uri>]` in its text) through the person's own
 * connection, as the person does with a card's Open button. Its name is `<slug>__read_resource`;
 * a server with a tool of its own by that name keeps it, and gets none of ours. Its definition is
 * Countersign's, so it is never pinned or held; it is read-only and runs without asking unless an
 * admin set a policy for `read_resource` on that server (policy.ts).
 */
import { readResourceInput } from '../../shared/inputs/servers.ts';
import type { ToolCallResult, ToolContentBlock, ToolFailureKind } from '../agent/tool-port.ts';
import type { ResourceContent, ResourceRead } from './resource-read.ts';
import type { RequestFailureKind } from './request-outcome.ts';
import { toMcpTool } from './tool-definition.ts';
import type { McpTool } from './types.ts';

const READ_RESOURCE = 'read_resource';

/** A URI as servers.readResource takes one from the person. */
const uriArgument = readResourceInput.shape.uri;

/** The tool for `server`, unless the server has a tool of that name itself. */
export function resourceTool(server: { id: string; name: string }, own: readonly McpTool[]): McpTool | undefined {
  if (own.some((tool) => tool.name === READ_RESOURCE)) return undefined;
  const definition = {
    name: READ_RESOURCE,
    title: `Read a resource of ${server.name}`,
    description: `Reads a resource of ${server.name} by its URI, such as one a tool result named as [resource <uri>]: its text, and its images.`,
    inputSchema: {
      type: 'object' as const,
      properties: {
        uri: { type: 'string', description: 'The URI of the resource, exactly as it was given.', maxLength: uriArgument.maxLength },
      },
      required: ['uri'],
      additionalProperties: false,
    },
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  };
  return { ...toMcpTool(server, definition), synthetic: true };
}

/** A call of the tool: the read goes through `connection`, the calling person's own. */
export async function readForModel(
  connection: { readResource(uri: string): Promise<ResourceRead> },
  args: Record<string, unknown>,
): Promise<ToolCallResult> {
  const uri = uriArgument.safeParse(args.uri);
  if (!uri.success) {
    const message = `the argument uri must be the URI of a resource, as a string of 1 to ${uriArgument.maxLength} characters`;
    return { ok: false, kind: 'tool-error', message };
  }
  return asResult(await connection.readResource(uri.data));
}

/**
 * A read as a tool's result: text pieces (text blobs decoded) as text, images and audio as content
 * blocks, anything else named. Bounded downstream as every tool result is, as tightly as a read for
 * the person or more: the model's text by agent/result-text.ts, images and audio by the card's
 * limits (agent/tool-media.ts), which decide what the model is shown of images too.
 */
function asResult(read: ResourceRead): ToolCallResult {
  if (!read.ok) return { ok: false, kind: FAILURE_KINDS[read.kind], message: read.message };
  const content = read.contents.map(blockOf);
  const labelled = content.length > 1;
  const text = content
    .map((block, i) => {
      const shown = block.type === 'text' ? block.text! : `[${block.type} ${block.mimeType}]`;
      return labelled ? `${read.contents[i]!.uri}:\n${shown}` : shown;
    })
    .join('\n\n');
  return { ok: true, content, text };
}

function blockOf({ uri, mimeType, text, blob = '' }: ResourceContent): ToolContentBlock {
  const type = mimeType?.toLowerCase() ?? '';
  if (text !== undefined) return { type: 'text', text };
  if (type.startsWith('text/')) return { type: 'text', text: Buffer.from(blob, 'base64').toString('utf8') };
  if (type.startsWith('image/')) return { type: 'image', mimeType, data: blob };
  if (type.startsWith('audio/')) return { type: 'audio', mimeType, data: blob };
  return { type: 'text', text: `(${uri} is ${mimeType || 'binary data of no stated type'}: only text, images and audio can be read)` };
}

/** A resource that is not there is the call's answer for the model to read, not a fault of the connection. */
const FAILURE_KINDS: Record<RequestFailureKind, ToolFailureKind> = {
  'not-connected': 'unavailable',
  'needs-sign-in': 'needs-sign-in',
  unavailable: 'unavailable',
  timeout: 'timeout',
  'not-found': 'tool-error',
  protocol: 'protocol',
};

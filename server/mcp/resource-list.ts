/**
 * A server's resources and resource templates through a person's connection, listed together
 * (every page, the first MAX_LISTED of each kept), as plain data. A server that does not declare
 * resources has none.
 */
import { ProtocolError, ProtocolErrorCode, type Resource, type ResourceTemplateType } from '@modelcontextprotocol/client';
import { failureOf, type Outcome } from './request-outcome.ts';
import { bounded } from './server-lists.ts';
import type { ToolClient } from './transports.ts';

interface Described {
  name: string;
  title?: string;
  description?: string;
  mimeType?: string;
}

export interface ResourceInfo extends Described {
  uri: string;
}

export interface ResourceTemplateInfo extends Described {
  /** RFC 6570, e.g. `countersign://notes/{id}`. */
  uriTemplate: string;
}

/** `more`: how many past the first MAX_LISTED of each list were left out. */
export type ResourceListing = Outcome<{
  resources: ResourceInfo[];
  templates: ResourceTemplateInfo[];
  more: { resources: number; templates: number };
}>;

export async function listResources(client: ToolClient, serverName: string, timeoutMs: number): Promise<ResourceListing> {
  if (!client.getServerCapabilities()?.resources) return { ok: true, resources: [], templates: [], more: { resources: 0, templates: 0 } };
  // Without a cursor the SDK walks every page; `bypass`: the connection keeps the lists itself.
  const options = { timeout: timeoutMs, cacheMode: 'bypass' as const };
  try {
    const [listed, templated] = await Promise.all([
      client.listResources(undefined, options),
      // Templates came later to the spec than resources: a server without them has none.
      client.listResourceTemplates(undefined, options).catch((error: unknown) => {
        if (error instanceof ProtocolError && error.code === ProtocolErrorCode.MethodNotFound) return { resourceTemplates: [] };
        throw error;
      }),
    ]);
    const resources = bounded(listed.resources);
    const templates = bounded(templated.resourceTemplates);
    return {
      ok: true,
      resources: resources.items.map((resource: Resource) => ({ uri: resource.uri, ...described(resource) })),
      templates: templates.items.map((template: ResourceTemplateType) => ({ uriTemplate: template.uriTemplate, ...described(template) })),
      more: { resources: resources.more, templates: templates.more },
    };
  } catch (error) {
    return failureOf(error, serverName, `list the resources of ${serverName}`, timeoutMs);
  }
}

function described({ name, title, description, mimeType }: Described): Described {
  return { name, ...(title ? { title } : {}), ...(description ? { description } : {}), ...(mimeType ? { mimeType } : {}) };
}

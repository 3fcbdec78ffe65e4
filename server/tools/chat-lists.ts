/**
 * The prompts and resources of a chat's servers as the composer lists them: every server's items
 * together, each naming its server, and a line for each server that could not list them (its
 * failure, in words) or listed more than are kept.
 */
import type { PromptDto, PromptListDto, ResourceDto, ResourceListDto, ResourceTemplateDto } from '../../shared/servers.ts';
import { templateVariables } from '../../shared/uri-template.ts';
import type { PromptListing } from '../mcp/prompts.ts';
import type { ResourceListing } from '../mcp/resource-list.ts';
import { MAX_LISTED } from '../mcp/server-lists.ts';

export interface Listed<T> {
  server: { id: string; name: string };
  listing: T;
}

const moreThanShown = (serverName: string, more: number, what: string) =>
  `${serverName} has ${more} more ${what} than the ${MAX_LISTED} shown.`;

export function promptListDto(listed: Listed<PromptListing>[]): PromptListDto {
  const prompts: PromptDto[] = [];
  const leftOut: string[] = [];
  for (const { server, listing } of listed) {
    if (!listing.ok) {
      leftOut.push(listing.message);
      continue;
    }
    if (listing.more > 0) leftOut.push(moreThanShown(server.name, listing.more, 'prompts'));
    for (const prompt of listing.prompts) {
      prompts.push({
        serverId: server.id,
        serverName: server.name,
        name: prompt.name,
        title: prompt.title ?? null,
        description: prompt.description ?? null,
        arguments: prompt.arguments.map((arg) => ({ name: arg.name, description: arg.description ?? null, required: arg.required })),
      });
    }
  }
  return { prompts, leftOut };
}

export function resourceListDto(listed: Listed<ResourceListing>[]): ResourceListDto {
  const resources: ResourceDto[] = [];
  const templates: ResourceTemplateDto[] = [];
  const leftOut: string[] = [];
  for (const { server, listing } of listed) {
    if (!listing.ok) {
      leftOut.push(listing.message);
      continue;
    }
    if (listing.more.resources > 0) leftOut.push(moreThanShown(server.name, listing.more.resources, 'resources'));
    if (listing.more.templates > 0) leftOut.push(moreThanShown(server.name, listing.more.templates, 'resource templates'));
    const of = { serverId: server.id, serverName: server.name };
    for (const resource of listing.resources) resources.push({ ...of, uri: resource.uri, ...described(resource) });
    for (const template of listing.templates) {
      templates.push({
        ...of,
        uriTemplate: template.uriTemplate,
        ...described(template),
        variables: templateVariables(template.uriTemplate),
      });
    }
  }
  return { resources, templates, leftOut };
}

function described(item: { name: string; title?: string; description?: string; mimeType?: string }) {
  return { name: item.name, title: item.title ?? null, description: item.description ?? null, mimeType: item.mimeType ?? null };
}

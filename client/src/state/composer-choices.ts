/**
 * What a composer picker offers for what the person typed: the chat's prompts after `/`, its
 * resources and then its resource templates after `@`, filtered by the words typed; each as an
 * option line, and what the picker says when it has none. Pure functions of the lists.
 */
import { t } from '../../../shared/i18n/t.ts';
import { LIMITS } from '../../../shared/limits.ts';
import type { PromptDto, PromptListDto, ResourceDto, ResourceListDto, ResourceTemplateDto } from '../../../shared/servers.ts';
import { matches, type Trigger } from './composer-trigger.ts';

export type Choice =
  | { kind: 'prompt'; prompt: PromptDto }
  | { kind: 'resource'; resource: ResourceDto }
  | { kind: 'template'; template: ResourceTemplateDto };

export interface Listed {
  prompts: PromptListDto | undefined;
  resources: ResourceListDto | undefined;
  /** How many resources the message has already. */
  attached: number;
}

export function choicesFor(trigger: Trigger, listed: Listed): Choice[] {
  const { query } = trigger;
  if (trigger.kind === 'prompts') {
    return (listed.prompts?.prompts ?? [])
      .filter((p) => matches(query, p.name, p.title, p.description, p.serverName))
      .map((prompt) => ({ kind: 'prompt', prompt }));
  }
  if (listed.attached >= LIMITS.attachments) return [];
  const resources = (listed.resources?.resources ?? [])
    .filter((r) => matches(query, r.name, r.title, r.uri, r.serverName))
    .map((resource): Choice => ({ kind: 'resource', resource }));
  const templates = (listed.resources?.templates ?? [])
    .filter((t) => matches(query, t.name, t.title, t.uriTemplate, t.serverName))
    .map((template): Choice => ({ kind: 'template', template }));
  return [...resources, ...templates];
}

/** What the picker says when it offers nothing. */
export function emptyText(trigger: Trigger, listed: Listed): string {
  const prompts = trigger.kind === 'prompts';
  if (!prompts && listed.attached >= LIMITS.attachments) return t('composerChoices.full', LIMITS.attachments);
  if (!(prompts ? listed.prompts : listed.resources))
    return t(prompts ? 'composerChoices.loadingPrompts' : 'composerChoices.loadingResources');
  if (trigger.query) return t(prompts ? 'composerChoices.noPromptMatches' : 'composerChoices.noResourceMatches', trigger.query);
  return t(prompts ? 'composerChoices.noPrompts' : 'composerChoices.noResources');
}

export function optionOf(choice: Choice): { label: string; detail: string } {
  switch (choice.kind) {
    case 'prompt': {
      const { prompt } = choice;
      return { label: prompt.title ?? prompt.name, detail: [prompt.serverName, prompt.description].filter(Boolean).join(' · ') };
    }
    case 'resource': {
      const { resource } = choice;
      return { label: resource.title ?? resource.name, detail: `${resource.serverName} · ${resource.uri}` };
    }
    case 'template': {
      const { template } = choice;
      return { label: template.title ?? template.name, detail: `${template.serverName} · ${template.uriTemplate}` };
    }
  }
}

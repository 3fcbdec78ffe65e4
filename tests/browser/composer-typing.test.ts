/**
 * What the composer makes of what a person types, without a browser (client/src/state and
 * shared/uri-template.ts): which picker `/` and `@` open, what it offers and says, and the URI a
 * resource template makes of the values filled in.
 */
import { describe, expect, test } from 'bun:test';
import { choicesFor, emptyText } from '../../client/src/state/composer-choices.ts';
import { matches, sameTrigger, triggerAt } from '../../client/src/state/composer-trigger.ts';
import type { ResourceListDto } from '../../shared/servers.ts';
import { expandUriTemplate, templateVariables } from '../../shared/uri-template.ts';

describe('triggers', () => {
  test('`/` opens the prompts only at the very start, until a space', () => {
    expect(triggerAt('/', 1)).toEqual({ kind: 'prompts', query: '' });
    expect(triggerAt('/sum', 4)).toEqual({ kind: 'prompts', query: 'sum' });
    expect(triggerAt('/sum it up', 10)).toBeNull();
    expect(triggerAt('a/b', 3)).toBeNull();
  });

  test('`@` opens the resources at the start of a word, the word up to the caret filtering them', () => {
    expect(triggerAt('look at @bud', 12)).toEqual({ kind: 'resources', query: 'bud', start: 8, end: 12 });
    expect(triggerAt('@', 1)).toEqual({ kind: 'resources', query: '', start: 0, end: 1 });
    expect(triggerAt('mail me@example.org', 19)).toBeNull();
    // The caret back inside the word: what follows it is not part of the filter.
    expect(triggerAt('see @budget now', 8)).toEqual({ kind: 'resources', query: 'bud', start: 4, end: 8 });
    expect(triggerAt('see @budget now', 15)).toBeNull();
  });

  test('typing on into the same `@word` is the same trigger; another `@` is not', () => {
    expect(sameTrigger(triggerAt('@b', 2), triggerAt('@bu', 3))).toBe(true);
    expect(sameTrigger(triggerAt('@b @c', 2), triggerAt('@b @c', 5))).toBe(false);
    expect(sameTrigger(triggerAt('/a', 2), triggerAt('/ab', 3))).toBe(true);
    expect(sameTrigger(null, triggerAt('/', 1))).toBe(false);
  });

  test('every word typed must be in one of the fields, in any case', () => {
    expect(matches('team', 'completable-prompt', 'Team Management')).toBe(true);
    expect(matches('ever feat', 'features.md', 'Everything')).toBe(true);
    expect(matches('sales', 'features.md', null)).toBe(false);
    expect(matches('', 'anything')).toBe(true);
  });
});

describe('resource templates', () => {
  test('name their variables once each, and make URIs with the values encoded', () => {
    expect(templateVariables('countersign://notes/{id}')).toEqual(['id']);
    expect(templateVariables('file:///{+path}{?rev,lang}{&rev}')).toEqual(['path', 'rev', 'lang']);
    expect(expandUriTemplate('countersign://notes/{id}', { id: 'a b/c' })).toBe('countersign://notes/a%20b%2Fc');
    expect(expandUriTemplate('file:///{+path}', { path: 'docs/read me.md' })).toBe('file:///docs/read%20me.md');
    expect(expandUriTemplate('search://{?q,lang}', { q: 'café', lang: undefined })).toBe('search://?q=caf%C3%A9');
    expect(expandUriTemplate('x://{a}{/b}', {})).toBe('x://');
  });
});

describe('what `@` offers', () => {
  const of = { serverId: 's', serverName: 'Notes', title: null, description: null, mimeType: null };
  const resources: ResourceListDto = {
    resources: [
      { ...of, uri: 'n://1', name: 'Budget' },
      { ...of, uri: 'n://2', name: 'Garden' },
    ],
    templates: [{ ...of, uriTemplate: 'n://{id}', name: 'Budget by id', variables: ['id'] }],
    leftOut: [],
  };
  const trigger = (query: string) => ({ kind: 'resources' as const, query, start: 0, end: query.length + 1 });

  test('resources first, then templates, those that match what was typed', () => {
    const names = choicesFor(trigger('bud'), { prompts: undefined, resources, attached: 0 }).map((c) =>
      c.kind === 'resource' ? c.resource.name : c.kind === 'template' ? `${c.template.name} (template)` : c.prompt.name,
    );
    expect(names).toEqual(['Budget', 'Budget by id (template)']);
  });

  test('nothing once five are attached, and says why; says when the list is still coming or nothing matches', () => {
    expect(choicesFor(trigger(''), { prompts: undefined, resources, attached: 5 })).toEqual([]);
    expect(emptyText(trigger(''), { prompts: undefined, resources, attached: 5 })).toBe(
      'At most 5 resources can be attached to one message.',
    );
    expect(emptyText(trigger(''), { prompts: undefined, resources: undefined, attached: 0 })).toBe('Loading resources…');
    expect(emptyText(trigger('zzz'), { prompts: undefined, resources, attached: 0 })).toBe('No resource matches “zzz”.');
  });
});

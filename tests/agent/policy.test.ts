import { describe, expect, test } from 'bun:test';
import { cataloguePolicy, effectivePolicy, tighten, type ServerPolicySettings } from '../../server/agent/policy.ts';

const untrusted: ServerPolicySettings = { trusted: false, defaultPolicy: 'ask', toolPolicies: {} };
const trusted: ServerPolicySettings = { ...untrusted, trusted: true };
const readOnly = { name: 'list', annotations: { readOnlyHint: true } };
const destructive = { name: 'wipe', annotations: { destructiveHint: true } };
const plain = { name: 'send' };

describe('catalogue policy', () => {
  test('default is ask', () => {
    expect(cataloguePolicy(plain, untrusted)).toEqual({ policy: 'ask', reason: 'policy: ask' });
  });

  test('an admin setting for the tool wins over the default and over annotations', () => {
    expect(cataloguePolicy(plain, { ...untrusted, toolPolicies: { send: 'auto' } }).policy).toBe('auto');
    expect(cataloguePolicy(readOnly, { ...trusted, toolPolicies: { list: 'ask' } })).toEqual({ policy: 'ask', reason: 'policy: ask' });
    expect(cataloguePolicy(plain, { ...untrusted, toolPolicies: { send: 'deny' } })).toEqual({ policy: 'deny', reason: 'policy: deny' });
  });

  test('a trusted server’s read-only hint suggests auto; an untrusted server’s never relaxes', () => {
    expect(cataloguePolicy(readOnly, trusted)).toEqual({ policy: 'auto', reason: 'read-only tool of a trusted server' });
    expect(cataloguePolicy(readOnly, untrusted).policy).toBe('ask');
  });

  test('a destructive hint tightens a server default of auto, from any server', () => {
    expect(cataloguePolicy(destructive, { ...untrusted, defaultPolicy: 'auto' })).toEqual({ policy: 'ask', reason: 'destructive tool' });
    expect(cataloguePolicy(destructive, { ...trusted, defaultPolicy: 'auto' }).policy).toBe('ask');
    expect(cataloguePolicy(plain, { ...untrusted, defaultPolicy: 'auto' }).policy).toBe('auto');
  });

  test('read-only wins over MCP’s default destructiveHint (true), as the spec says', () => {
    const specDefaults = {
      name: 'list',
      annotations: { readOnlyHint: true, destructiveHint: true, idempotentHint: false, openWorldHint: true },
    };
    expect(cataloguePolicy(specDefaults, trusted).policy).toBe('auto');
    expect(cataloguePolicy({ name: 'send', annotations: { readOnlyHint: false, destructiveHint: true } }, untrusted)).toEqual({
      policy: 'ask',
      reason: 'policy: ask',
    });
  });

  test('a server default of deny is not relaxed by annotations', () => {
    expect(cataloguePolicy(readOnly, { ...trusted, defaultPolicy: 'deny' }).policy).toBe('deny');
  });
});

describe('effective policy', () => {
  test('a person may tighten, never loosen', () => {
    expect(effectivePolicy({ tool: readOnly, server: trusted, personal: 'ask', alwaysAllowedInChat: false })).toEqual({
      policy: 'ask',
      reason: 'your setting: ask',
    });
    expect(effectivePolicy({ tool: plain, server: untrusted, personal: 'deny', alwaysAllowedInChat: false }).policy).toBe('deny');
    expect(effectivePolicy({ tool: plain, server: untrusted, personal: 'auto', alwaysAllowedInChat: false }).policy).toBe('ask');
  });

  test('always allow in this chat turns ask into auto', () => {
    expect(effectivePolicy({ tool: plain, server: untrusted, alwaysAllowedInChat: true })).toEqual({
      policy: 'auto',
      reason: 'always allowed in this chat',
    });
  });

  test('always allow never overrides deny', () => {
    expect(
      effectivePolicy({ tool: plain, server: { ...untrusted, toolPolicies: { send: 'deny' } }, alwaysAllowedInChat: true }).policy,
    ).toBe('deny');
    expect(effectivePolicy({ tool: plain, server: untrusted, personal: 'deny', alwaysAllowedInChat: true }).policy).toBe('deny');
  });

  test('tighten picks the stricter policy', () => {
    expect(tighten('auto', 'ask')).toBe('ask');
    expect(tighten('deny', 'ask')).toBe('deny');
    expect(tighten('auto', 'auto')).toBe('auto');
  });
});

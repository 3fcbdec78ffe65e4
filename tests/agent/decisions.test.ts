import { describe, expect, test } from 'bun:test';
import { checkArguments } from '../../shared/check-arguments.ts';
import { resolveDecisions } from '../../server/agent/decisions.ts';
import type { ApprovalRequest } from '../../server/agent/nodes/approval.ts';
import type { ApprovalItem } from '../../shared/chat-events.ts';

const item = (toolCallId: string, inputSchema: Record<string, unknown> = {}): ApprovalItem => ({
  toolCallId,
  tool: { serverId: 's', serverName: 's', uniqueName: `s__${toolCallId}`, name: toolCallId, title: `Tool ${toolCallId}` },
  description: '',
  arguments: {},
  annotations: {},
  inputSchema,
  reason: 'policy: ask',
});

const schema = {
  type: 'object',
  properties: { count: { type: 'integer', minimum: 1 }, label: { type: 'string' } },
  required: ['count'],
  additionalProperties: false,
};
const request: ApprovalRequest = { requestedAt: new Date().toISOString(), items: [item('a', schema), item('b')] };

describe('decisions', () => {
  test('every call decided once: accepted, reject reasons trimmed', () => {
    const byCall = resolveDecisions(request, [
      { toolCallId: 'a', action: 'edit', arguments: { count: 2 } },
      { toolCallId: 'b', action: 'reject', reason: '  no thanks  ' },
    ]);
    expect(byCall).toEqual({
      a: { toolCallId: 'a', action: 'edit', arguments: { count: 2 } },
      b: { toolCallId: 'b', action: 'reject', reason: 'no thanks' },
    });
  });

  test('a missing, unknown or repeated call is refused', () => {
    expect(() => resolveDecisions(request, [{ toolCallId: 'a', action: 'approve' }])).toThrow(/missing: Tool b/);
    expect(() =>
      resolveDecisions(request, [
        { toolCallId: 'a', action: 'approve' },
        { toolCallId: 'b', action: 'approve' },
        { toolCallId: 'zz', action: 'approve' },
      ]),
    ).toThrow(/not part of this approval/);
    expect(() =>
      resolveDecisions(request, [
        { toolCallId: 'a', action: 'approve' },
        { toolCallId: 'a', action: 'reject' },
      ]),
    ).toThrow(/decided twice/);
  });

  test('edited arguments must fit the tool’s schema, and the refusal names the field', () => {
    const attempt = () =>
      resolveDecisions(request, [
        { toolCallId: 'a', action: 'edit', arguments: { count: 0, extra: true } },
        { toolCallId: 'b', action: 'approve' },
      ]);
    expect(attempt).toThrow(/Tool a/);
    expect(attempt).toThrow(/count/);
  });
});

describe('argument checks', () => {
  test('honours the schema’s declared draft, and 2020-12 without one', () => {
    const draft7 = { $schema: 'http://json-schema.org/draft-07/schema#', type: 'object', properties: { n: { type: 'number' } } };
    expect(checkArguments(draft7, { n: 1 })).toEqual({ ok: true });
    expect(checkArguments(draft7, { n: 'one' }).ok).toBe(false);
    expect(checkArguments({ type: 'object', prefixItems: [] }, {})).toEqual({ ok: true });
  });

  test('arguments must be an object', () => {
    expect(checkArguments({}, [1])).toEqual({ ok: false, problems: ['arguments must be a JSON object'] });
  });
});

/** shared/counted.ts: every count the web chat shows, singular for one and never "(s)". */
import { expect, test } from 'bun:test';
import { counted } from '../../shared/counted.ts';

test('one takes the singular; none and many the plural', () => {
  expect([0, 1, 2].map((n) => counted(n, 'tool'))).toEqual(['0 tools', '1 tool', '2 tools']);
  expect(counted(1, 'connected server')).toBe('1 connected server');
  expect(counted(3, 'connected server')).toBe('3 connected servers');
});

test('a noun with an irregular plural names it', () => {
  expect(counted(1, 'reply', 'replies')).toBe('1 reply');
  expect(counted(2, 'reply', 'replies')).toBe('2 replies');
});

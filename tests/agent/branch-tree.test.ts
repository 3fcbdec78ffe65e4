/**
 * The branch tree alone (server/agent/branches.ts): where each version's branch is found again
 * when a message was both edited and its answer regenerated, at any depth of switching.
 */
import { expect, test } from 'bun:test';
import { emptyTree, switchTo, withVersion } from '../../server/agent/branches.ts';

test('a message edited and its answer regenerated: each switch returns to where that version was left', () => {
  // U is edited to E (left at checkpoint c1); E's answer is regenerated as R (E's answer branch left at c2).
  let tree = withVersion(emptyTree(), 'message', 'U', 'E', 'c1');
  tree = withVersion(tree, 'answer', 'E', 'R', 'c2');

  // Showing R (standing at c3): back to U, the first version of the message.
  const toU = switchTo(tree, ['R'], 'U', 'c3')!;
  expect(toU.tip).toBe('c1');
  // From U (now at c4) to the message's second version: where it was left, showing R.
  const toE = switchTo(toU.tree, ['U'], 'E', 'c4')!;
  expect(toE.tip).toBe('c3');
  // And from R to E's first answer: where that answer branch was left, not where the message was.
  const toFirstAnswer = switchTo(toE.tree, ['R'], 'E', 'c5')!;
  expect(toFirstAnswer.tip).toBe('c2');
  // A version of no fork the shown branch passes through is refused.
  expect(switchTo(toFirstAnswer.tree, ['U'], 'R', 'c6')).toBeUndefined();
});

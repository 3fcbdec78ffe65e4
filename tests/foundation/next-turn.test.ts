/** onNextTurn runs its task once, on a later turn of the event loop, however its immediate and its backstop timer fire. */
import { expect, test } from 'bun:test';
import { onNextTurn } from '../../server/next-turn.ts';

test('a task runs once, after the code that scheduled it, and not again when its backstop fires', async () => {
  const order: string[] = [];
  onNextTurn(() => order.push('task'));
  order.push('caller');
  // A timer set after it for as long as its backstop fires after the backstop would have.
  await new Promise((resolve) => setTimeout(resolve, 1));
  expect(order).toEqual(['caller', 'task']);
});

test('tasks run in the order they were scheduled', async () => {
  const order: number[] = [];
  for (let n = 0; n < 5; n++) onNextTurn(() => order.push(n));
  await new Promise((resolve) => setTimeout(resolve, 1));
  expect(order).toEqual([0, 1, 2, 3, 4]);
});

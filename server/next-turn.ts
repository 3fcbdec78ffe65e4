/**
 * Runs `task` on the event loop's next turn, as setImmediate does, with a 1 ms timer as a
 * backstop: whichever fires first runs it, once. Bun 1.4.5 can go to sleep in epoll with an
 * immediate still queued, and then runs it only when other I/O or a timer wakes the loop: under
 * load a tRPC call waited 15 s in the call intake for its turn, until the test gave up and its
 * teardown's traffic woke the loop (3 of 6 runs of tests/browser/attachments.test.ts with both
 * cores busy; none of 16 with a timer). A timer always wakes it.
 */
export function onNextTurn(task: () => void): void {
  let ran = false;
  const run = () => {
    if (ran) return;
    ran = true;
    clearImmediate(immediate);
    clearTimeout(backstop);
    task();
  };
  const immediate = setImmediate(run);
  const backstop = setTimeout(run, 1);
}

/** Reports several features listen to (statement and checkpoint write times), each joining in whatever order they are set up. */
export function followedBy<A extends unknown[]>(
  earlier: ((...args: A) => void) | undefined,
  listener: (...args: A) => void,
): (...args: A) => void {
  return earlier
    ? (...args) => {
        earlier(...args);
        listener(...args);
      }
    : listener;
}

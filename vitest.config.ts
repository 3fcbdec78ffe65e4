import { defineConfig } from 'vitest/config';

// Vitest runs only the official checkpointer conformance suite, which relies on Vitest globals;
// everything else is a `bun test` file. Run it on the Bun runtime so bun:sqlite exists:
//   bun --bun node_modules/.bin/vitest run
export default defineConfig({
  test: {
    globals: true,
    // Vitest's default `forks` pool cannot start its workers on Bun (child.channel.unref is
    // missing); worker threads run on Bun, and bun:sqlite works inside them.
    pool: 'threads',
    include: ['tests/**/*.vitest.ts'],
  },
});

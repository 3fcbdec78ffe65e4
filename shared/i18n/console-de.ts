/** The admin console's messages in German: every key of console-en.ts. */
import type { Messages } from './messages.ts';

export const consoleDe: Messages['console'] = {
  nav: {
    catalogue: 'Katalog',
  },
};

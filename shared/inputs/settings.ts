/** Input schemas of the settings procedures: what a person sets for all of their chats. */
import { z } from 'zod';
import { LOCALES, THEME_CHOICES } from '../settings.ts';
import { instructionsText } from './chats.ts';

export const setInstructionsInput = z.object({ customInstructions: instructionsText('Your instructions') });

export const setThemeInput = z.object({
  theme: z.enum(THEME_CHOICES, { error: `The theme must be one of ${THEME_CHOICES.join(', ')}.` }),
});

/** null goes back to following the browser's language. */
export const setLocaleInput = z.object({
  locale: z.enum(LOCALES, { error: `The language must be one of ${LOCALES.join(', ')}, or null to follow the browser.` }).nullable(),
});

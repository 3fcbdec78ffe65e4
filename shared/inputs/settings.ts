/** Input schemas of the settings procedures: what a person sets for all of their chats. */
import { z } from 'zod';
import { instructionsText } from './chats.ts';

export const setInstructionsInput = z.object({ customInstructions: instructionsText('Your instructions') });

/** Input schemas of the `files` procedures. An upload is multipart form data: a browser's FormData, sent as it is. */
import { z } from 'zod';
import { chatId } from './chats.ts';

export const uploadInput = z
  .instanceof(FormData, { error: 'An upload is multipart form data with the fields chatId and file.' })
  .transform((form) => ({ chatId: form.get('chatId'), file: form.get('file') }))
  .pipe(z.object({ chatId, file: z.instanceof(File, { error: 'The field file must be a file.' }) }));

export const fileRef = z.object({ fileId: z.uuid({ error: 'fileId must be a file id (a UUID).' }) });

/** The `files` procedures: a person uploads files to their own chat, removes unsent ones, and reads the limits. */
import { fileRef, uploadInput } from '../../shared/inputs/files.ts';
import type { RateLimiters } from '../trpc/rate-limit.ts';
import { protectedProcedure, router } from '../trpc/trpc.ts';
import type { FileService } from './file-service.ts';

export function filesRouter(files: FileService, limiters: RateLimiters) {
  // Each upload is up to FILE_MAX_BYTES read, checked and written: a composer attaches a handful at a time.
  const uploads = limiters({ name: 'uploads', what: 'uploads', burst: 20, perMinute: 30 });
  return router({
    upload: protectedProcedure.input(uploadInput).mutation(async ({ ctx, input }) => {
      await uploads.take(ctx.user.id);
      return files.upload(ctx.user.id, input.chatId, input.file);
    }),
    remove: protectedProcedure.input(fileRef).mutation(({ ctx, input }) => files.remove(ctx.user.id, input.fileId)),
    limits: protectedProcedure.query(() => files.limits),
  });
}

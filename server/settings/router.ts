/** The `settings` procedures: what a person sets for all of their own chats, and nobody else's. */
import { setInstructionsInput, setLocaleInput, setThemeInput } from '../../shared/inputs/settings.ts';
import { protectedProcedure, router } from '../trpc/trpc.ts';
import type { SettingsStore } from './settings-store.ts';

export function settingsRouter(settings: SettingsStore) {
  return router({
    get: protectedProcedure.query(({ ctx }) => settings.get(ctx.user.id)),

    setInstructions: protectedProcedure
      .input(setInstructionsInput)
      .mutation(({ ctx, input }) => settings.setInstructions(ctx.user.id, input.customInstructions)),

    setTheme: protectedProcedure.input(setThemeInput).mutation(({ ctx, input }) => settings.update(ctx.user.id, { theme: input.theme })),

    setLocale: protectedProcedure
      .input(setLocaleInput)
      .mutation(({ ctx, input }) => settings.update(ctx.user.id, { locale: input.locale })),
  });
}

/** A person's own settings, as `settings.get` returns them. */
export interface SettingsDto {
  /** What the person tells the model about themselves and how to answer, in every chat of theirs; empty when nothing. */
  customInstructions: string;
}

/** The person's settings: their custom instructions, which the model reads in every chat of theirs. */
import { createResource, Match, Switch } from 'solid-js';
import { api } from '../api/client.ts';
import { errorMessage } from '../api/errors.ts';
import { Dialog } from './Dialog.tsx';
import { InstructionsDialog } from './InstructionsDialog.tsx';

export function SettingsDialog(props: { onClose: () => void }) {
  const [settings] = createResource(() => api.settings.get.query());
  const save = async (customInstructions: string) => {
    await api.settings.setInstructions.mutate({ customInstructions });
  };
  return (
    <Switch>
      <Match when={settings.error}>
        <Dialog title="Settings" onClose={props.onClose}>
          <p class="form-error" role="alert">
            {errorMessage(settings.error)}
          </p>
          <div class="dialog-actions">
            <button type="button" class="button" onClick={() => props.onClose()}>
              Close
            </button>
          </div>
        </Dialog>
      </Match>
      <Match when={settings()}>
        {(loaded) => (
          <InstructionsDialog
            title="Settings"
            label="Custom instructions"
            hint="The model reads these in every chat of yours: who you are, how you like answers."
            text={loaded().customInstructions}
            onSave={save}
            onClose={props.onClose}
          />
        )}
      </Match>
    </Switch>
  );
}

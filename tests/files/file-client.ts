/**
 * What the attachment tests do through the typed client and see at the OpenAI fixture: upload a
 * file, send a message and wait for its answer, add a catalogue model that takes images, and read
 * the parts of the messages the model was sent.
 */
import type { FileDto } from '../../shared/files.ts';
import { postGraphQL, signInAdmin } from '../admin/support.ts';
import type { OpenAIFixture, RecordedRequest } from '../fixtures/openai-fixture.ts';
import { eventually } from '../support/eventually.ts';
import type { Person } from '../support/people.ts';

export interface Part {
  type: string;
  text?: string;
  image_url?: { url: string };
}

/** The parts of each person's message the model was sent, as OpenAI's wire format has them. */
export function userParts(request: RecordedRequest): Part[][] {
  return request.body.messages
    .filter((m) => m.role === 'user')
    .map(({ content }) => (typeof content === 'string' ? [{ type: 'text', text: content }] : (content as Part[])));
}

/** The parts of the last message the model was sent. */
export const lastUserParts = (request: RecordedRequest): Part[] => userParts(request).at(-1) ?? [];

export function upload(person: Person, chatId: string, name: string, bytes: Uint8Array<ArrayBuffer> | string, type = ''): Promise<FileDto> {
  const form = new FormData();
  form.set('chatId', chatId);
  form.set('file', new File([bytes], name, { type }));
  return person.client.api.files.upload.mutate(form);
}

export async function sendAndWait(person: Person, chatId: string, text: string, files: string[]): Promise<void> {
  await person.client.api.chats.send.mutate({ chatId, text, files });
  await eventually(async () => {
    const { history } = await person.client.api.chats.get.query({ chatId });
    return history.messages.at(-1)?.role === 'assistant' && history.runState.status === 'idle';
  }, `the answer to "${text}"`);
}

/** Adds the catalogue model "Sees images" (the fixture's `vision-model`, which takes images), as the admin; its id. */
export async function addModelThatSeesImages(serverUrl: string, fixture: OpenAIFixture): Promise<string> {
  const ada = await signInAdmin(serverUrl);
  const created = await postGraphQL(serverUrl, 'mutation($input: ModelInput!) { createModel(input: $input) { id } }', {
    headers: { cookie: ada.cookie },
    variables: {
      input: { name: 'Sees images', provider: 'OPENAI', baseUrl: fixture.baseURL, modelId: 'vision-model', acceptsImages: true },
    },
  });
  await ada.client.close();
  return (created.body.data as { createModel: { id: string } }).createModel.id;
}

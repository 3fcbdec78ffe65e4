/**
 * One `resources/read` through a person's connection, and its outcome as a value a person can
 * read: the contents as plain data (the rest of the server knows nothing of the SDK), or a failure
 * saying whose it is (request-outcome.ts). Bounding what is shown is the caller's: this layer
 * hands over what came.
 */
import { ResourceNotFoundError } from '@modelcontextprotocol/client';
import { failureOf, type Outcome, requestFailure } from './request-outcome.ts';
import type { ToolClient } from './transports.ts';

/** One item of a read: text, or base64 `blob` data. */
export interface ResourceContent {
  uri: string;
  mimeType?: string;
  text?: string;
  blob?: string;
}

export type ResourceRead = Outcome<{ contents: ResourceContent[] }>;

export async function readResource(client: ToolClient, serverName: string, uri: string, timeoutMs: number): Promise<ResourceRead> {
  try {
    const { contents } = await client.readResource({ uri }, { timeout: timeoutMs });
    return {
      ok: true,
      contents: contents.map((c) => ({
        uri: c.uri,
        ...(c.mimeType ? { mimeType: c.mimeType } : {}),
        ...('text' in c ? { text: c.text } : { blob: c.blob }),
      })),
    };
  } catch (error) {
    if (error instanceof ResourceNotFoundError) return requestFailure('not-found', `${serverName} has no resource ${uri}`);
    return failureOf(error, serverName, `read ${uri} from ${serverName}`, timeoutMs);
  }
}

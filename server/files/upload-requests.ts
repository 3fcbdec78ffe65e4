/**
 * What sets an upload's request apart from the API's other calls: `files.upload`, alone (never in
 * a batch), is sent as multipart form data, from the app's own pages or a program (isFromAppOrigin:
 * another site's form can send form data too), and its body may hold one file of FILE_MAX_BYTES
 * and its form's few fields, past MAX_REQUEST_BODY_BYTES; a larger one is refused before it is read.
 */
import { size } from '../agent/tool-media.ts';
import { isFromAppOrigin } from '../auth/same-origin.ts';
import type { BodyAllowance } from '../request-body-limit.ts';
import { TRPC_PATH } from '../trpc/http.ts';

const UPLOAD_PATH = `${TRPC_PATH}/files.upload`;
/** The multipart boundaries, the chatId field and the file's part headers (its name is at most a few hundred bytes). */
const FORM_OVERHEAD_BYTES = 16 * 1024;

const isUploadPath = (request: Request) => request.method === 'POST' && new URL(request.url).pathname === UPLOAD_PATH;

/** Whether the request may carry form data: an upload, from the app's own origin or a program. */
export function isUpload(request: Request, appOrigin: string): boolean {
  return isUploadPath(request) && isFromAppOrigin(request, appOrigin);
}

export function uploadAllowance(maxFileBytes: number): (request: Request) => BodyAllowance | undefined {
  const allowance = {
    maxBytes: maxFileBytes + FORM_OVERHEAD_BYTES,
    message: `A file may be at most ${size(maxFileBytes)} (FILE_MAX_BYTES); choose a smaller one.`,
  };
  return (request) => (isUploadPath(request) ? allowance : undefined);
}

/** What a refused tRPC call says: its code and message, as a person's client sees them. */
import { TRPCClientError } from '@trpc/client';

export async function refusal(call: Promise<unknown>): Promise<{ code: string | undefined; message: string }> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof TRPCClientError)) throw new Error(`expected a refusal, got ${String(error)}`);
  return { code: error.data?.code, message: error.message };
}

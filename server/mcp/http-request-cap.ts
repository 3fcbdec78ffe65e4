/**
 * Bun lets only 256 outgoing HTTP requests be in flight (BUN_CONFIG_MAX_HTTP_REQUESTS); every
 * HTTP MCP client holds one for its SSE stream, as does every streaming LLM reply, so a 257th
 * user would wait. Bun reads the variable once, when the process starts: assigning
 * process.env later changes nothing (checked on Bun 1.4.5: still 256 in flight). So the server
 * is started with it set (npm scripts, or `.env`, which Bun loads before it starts), and when it
 * is not, main.ts runs itself again with the value from config.mcp.maxHttpRequests.
 */

export const HTTP_CAP_VARIABLE = 'BUN_CONFIG_MAX_HTTP_REQUESTS';

export function httpCapApplied(cap: number, env: Record<string, string | undefined> = process.env): boolean {
  return env[HTTP_CAP_VARIABLE] === String(cap);
}

/**
 * Runs this same script again with the cap set, and lives only to pass signals down and the
 * child's exit status up; stdio is shared, so logs read as if nothing happened.
 */
export async function relaunchWithHttpCap(cap: number): Promise<never> {
  const child = Bun.spawn([process.execPath, ...process.argv.slice(1)], {
    env: { ...process.env, [HTTP_CAP_VARIABLE]: String(cap) },
    stdio: ['inherit', 'inherit', 'inherit'],
  });
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(signal, () => child.kill(signal));
  const code = await child.exited;
  process.exit(child.signalCode ? 128 + (signalNumbers[child.signalCode] ?? 0) : code);
}

const signalNumbers: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 };

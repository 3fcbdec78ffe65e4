/** Entry point: `npm start`. Reads the configuration once, starts the server, stops it on a signal. */
import { ConfigError, loadConfig } from './config.ts';
import { createLogger } from './log.ts';
import { httpCapApplied, relaunchWithHttpCap } from './mcp/http-request-cap.ts';
import { startServer } from './server.ts';

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(`countersign: ${error.message}`);
  process.exit(78); // EX_CONFIG
}

// Bun reads its outgoing-request cap only at start-up: run again with it set when it is not.
if (!httpCapApplied(config.mcp.maxHttpRequests)) await relaunchWithHttpCap(config.mcp.maxHttpRequests);

const log = createLogger(config.logLevel);
const server = await startServer(config, log);

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, async () => {
    log.info('shutting down', { signal });
    await server.stop();
    log.info('stopped');
    process.exit(0);
  });
}

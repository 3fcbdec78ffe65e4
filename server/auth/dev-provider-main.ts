/**
 * The development OpenID provider as a process of its own (`npm run dev-oidc`), for trying cluster
 * mode on one machine and for tests: every instance signs people in through it, as they would
 * through Entra ID. Settings: PUBLIC_URL (the load balancer's URL; the only redirect URI is its
 * /auth/callback), DEV_OIDC_PORT (0: any free port), DEV_OIDC_CLIENT_SECRET (random if unset),
 * DEV_ACCOUNTS. Refuses NODE_ENV=production. Once it accepts sign-ins it prints the settings every
 * instance needs as `NAME=value` lines; SIGTERM or Ctrl-C stops it.
 */
import { z } from 'zod';
import { ConfigError, envSchema, readSettings } from '../config.ts';
import { createLogger } from '../log.ts';
import { DEV_ACCOUNTS, startDevProvider } from './dev-provider.ts';
import { CALLBACK_PATH } from './setup.ts';

const settingsSchema = envSchema
  .pick({ NODE_ENV: true, PUBLIC_URL: true, DEV_OIDC_PORT: true, DEV_ACCOUNTS: true, LOG_LEVEL: true })
  .extend({
    PUBLIC_URL: z.url({
      protocol: /^https?$/,
      error: 'required: the http(s) URL people open (the load balancer); its /auth/callback is the redirect URI',
    }),
    DEV_OIDC_CLIENT_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  });

try {
  const settings = readSettings(settingsSchema, process.env);
  if (settings.NODE_ENV === 'production') {
    throw new ConfigError([
      'NODE_ENV=production: the development sign-in never runs in production; give every instance a real OpenID provider',
    ]);
  }
  const accounts = settings.DEV_ACCOUNTS ?? DEV_ACCOUNTS;
  const provider = await startDevProvider({
    env: settings.NODE_ENV,
    port: settings.DEV_OIDC_PORT,
    accounts,
    clientSecret: settings.DEV_OIDC_CLIENT_SECRET,
    log: createLogger(settings.LOG_LEVEL),
  });
  const redirectUri = `${settings.PUBLIC_URL.replace(/\/$/, '')}${CALLBACK_PATH}`;
  provider.registerClient(redirectUri);
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, async () => {
      await provider.stop();
      process.exit(0);
    });
  }
  const admins = accounts.filter((a) => a.role === 'admin').map((a) => a.email);
  console.log(
    [
      `Development sign-in for ${redirectUri}: anyone who can reach ${provider.authority} signs in as any of`,
      ...accounts.map((a) => `  ${a.name} <${a.email}>${a.role === 'admin' ? ' (admin)' : ''}`),
      'Set on every Countersign instance:',
      `OIDC_AUTHORITY=${provider.authority}`,
      `OIDC_CLIENT_ID=${provider.clientId}`,
      `OIDC_CLIENT_SECRET=${provider.clientSecret}`,
      // An instance takes roles from ADMINS when the provider is not its own embedded one.
      `ADMINS=${admins.join(',')}`,
    ].join('\n'),
  );
} catch (error) {
  console.error(`dev-oidc: ${(error as Error).message}`);
  process.exit(error instanceof ConfigError ? 78 : 1);
}

import type { LightspeedRConfig } from '../config.js';

/** Not secrets: the sandbox's own made-up account and client, so tests and `npm start` need none. */
export const SANDBOX_ACCOUNT_ID = '12345';
export const SANDBOX_ORIGIN = 'https://api.lightspeedapp.invalid';
export const SANDBOX_CLIENT = { clientId: 'sandbox-client-id', clientSecret: 'sandbox-client-secret' } as const;
export const SANDBOX_REFRESH_TOKEN = 'sandbox-refresh-token-0';

/** A client configuration the sandbox accepts (served at `origin`). */
export function sandboxConfig(overrides: Partial<LightspeedRConfig> & { origin?: string } = {}): LightspeedRConfig {
  const { origin = SANDBOX_ORIGIN, ...rest } = overrides;
  return {
    accountId: SANDBOX_ACCOUNT_ID,
    apiOrigin: origin,
    tokenUrl: `${origin}/auth/oauth/token`,
    environment: 'custom',
    clientId: SANDBOX_CLIENT.clientId,
    clientSecret: SANDBOX_CLIENT.clientSecret,
    refreshToken: SANDBOX_REFRESH_TOKEN,
    ...rest,
  };
}

/**
 * Lightspeed R-Series connection settings from the environment. R-Series has no client-credentials grant: an account
 * user authorises the API client once (OAuth 2 authorization code,
 * https://developers.lightspeedhq.com/retail/authentication/authorization-code-grant/), which yields the first refresh
 * token; from then on the client refreshes on its own, and every refresh ROTATES the refresh token
 * (https://developers.lightspeedhq.com/retail/authentication/refresh-token/). So the refresh token given here is only
 * the starting one: the client hands each new one to its `onRefreshToken` callback for the caller to persist.
 *
 * The API lives at https://api.lightspeedapp.com/API/V3/Account/{accountID}/…, the token endpoint at
 * https://cloud.lightspeedapp.com/auth/oauth/token. LIGHTSPEED_R_BASE_URL names one other server for both (a proxy, or
 * the fake R-Series), serving /API/V3/… and /auth/oauth/token.
 */
import { envSettings } from '../../http/env-settings.js';

export interface LightspeedRConfig {
  /** The R-Series account ID (GET /API/V3/Account.json shows it). */
  accountId: string;
  /** The API host, no trailing slash: https://api.lightspeedapp.com unless overridden. */
  apiOrigin: string;
  /** The token endpoint. */
  tokenUrl: string;
  /** `custom` when LIGHTSPEED_R_BASE_URL names another server. */
  environment: 'production' | 'custom';
  clientId: string;
  clientSecret: string;
  /** The refresh token to start from; the client keeps the newest one after that. */
  refreshToken: string;
}

export const LIGHTSPEED_R_ENV_VARS = {
  accountId: 'LIGHTSPEED_R_ACCOUNT_ID',
  clientId: 'LIGHTSPEED_R_CLIENT_ID',
  clientSecret: 'LIGHTSPEED_R_CLIENT_SECRET',
  refreshToken: 'LIGHTSPEED_R_REFRESH_TOKEN',
  baseUrl: 'LIGHTSPEED_R_BASE_URL',
} as const;

export const LIGHTSPEED_R_API_ORIGIN = 'https://api.lightspeedapp.com';
export const LIGHTSPEED_R_TOKEN_URL = 'https://cloud.lightspeedapp.com/auth/oauth/token';
export const LIGHTSPEED_R_AUTHORIZE_URL = 'https://cloud.lightspeedapp.com/auth/oauth/authorize';

export class LightspeedRConfigError extends Error {
  override name = 'LightspeedRConfigError';
}

/** Reads the configuration, naming every missing or invalid variable at once (never a value). */
export function lightspeedRConfigFromEnv(env: Record<string, string | undefined>): LightspeedRConfig {
  const { read, problems, requireAll, throwIfProblems } = envSettings(env);
  requireAll(
    [
      LIGHTSPEED_R_ENV_VARS.accountId,
      LIGHTSPEED_R_ENV_VARS.clientId,
      LIGHTSPEED_R_ENV_VARS.clientSecret,
      LIGHTSPEED_R_ENV_VARS.refreshToken,
    ],
    'the client ID and secret come from the API client registered with Lightspeed; the refresh token from ' +
      'authorising it once on the account; the account ID from GET /API/V3/Account.json',
  );
  const accountId = read(LIGHTSPEED_R_ENV_VARS.accountId);
  if (accountId !== undefined && !/^\d+$/.test(accountId))
    problems.push(`${LIGHTSPEED_R_ENV_VARS.accountId} must be the numeric R-Series account ID`);
  const baseUrl = read(LIGHTSPEED_R_ENV_VARS.baseUrl);
  if (baseUrl !== undefined && !/^https?:\/\/[^/\s]+\/?$/.test(baseUrl)) {
    problems.push(
      `${LIGHTSPEED_R_ENV_VARS.baseUrl} must be a server root such as https://api.lightspeedapp.com (no path)`,
    );
  }
  throwIfProblems('Lightspeed R-Series', LightspeedRConfigError);

  const origin = baseUrl?.replace(/\/+$/, '');
  return {
    accountId: accountId!,
    apiOrigin: origin ?? LIGHTSPEED_R_API_ORIGIN,
    tokenUrl: origin === undefined ? LIGHTSPEED_R_TOKEN_URL : `${origin}/auth/oauth/token`,
    environment: origin === undefined || origin === LIGHTSPEED_R_API_ORIGIN ? 'production' : 'custom',
    clientId: read(LIGHTSPEED_R_ENV_VARS.clientId)!,
    clientSecret: read(LIGHTSPEED_R_ENV_VARS.clientSecret)!,
    refreshToken: read(LIGHTSPEED_R_ENV_VARS.refreshToken)!,
  };
}

/** The account's API root: …/API/V3/Account/{accountID}. */
export function accountRoot(config: Pick<LightspeedRConfig, 'apiOrigin' | 'accountId'>): string {
  return `${config.apiOrigin}/API/V3/Account/${config.accountId}`;
}

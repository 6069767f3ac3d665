/**
 * Lightspeed Retail (X-Series) connection settings from the environment: the store's domain prefix, the add-on's
 * OAuth 2.0 client ID and secret, and the refresh token the store's authorization produced
 * (https://x-series-api.lightspeedhq.com/docs/authorization: the authorization code grant is the only one offered).
 *
 * The API lives on the retailer's own host, https://{domain_prefix}.retail.lightspeed.app/api/{version}/..., and so does
 * the token endpoint, /api/1.0/token (https://x-series-api.lightspeedhq.com/changelog/2025-03-refresh-token-flow-update).
 * `baseUrl` is that host with /api; LIGHTSPEED_X_BASE_URL replaces it (a proxy, or the fake X-Series).
 *
 * Refresh tokens rotate: each refresh revokes the token it used. LIGHTSPEED_X_REFRESH_TOKEN is only where the client
 * starts; the caller must persist every newer one it is handed (LightspeedXClientOptions.onRefreshToken).
 */
import { envSettings } from '../../http/env-settings.js';

/** The API version the pack is written against (https://x-series-api.lightspeedhq.com/docs/versioning-strategy). */
export const LIGHTSPEED_X_API_VERSION = '2026-07';

export interface LightspeedXConfig {
  /** The store's domain prefix, e.g. `example` for example.retail.lightspeed.app. */
  domainPrefix: string;
  /** The retailer's host followed by /api, no trailing slash: the version paths and /1.0/token sit under it. */
  baseUrl: string;
  /** `custom` when LIGHTSPEED_X_BASE_URL names another server. */
  environment: 'production' | 'custom';
  clientId: string;
  clientSecret: string;
  /** The refresh token to start from; superseded by every refresh. */
  refreshToken: string;
  /** Date version in the path, `2026-07`. */
  apiVersion: string;
}

export const LIGHTSPEED_X_ENV_VARS = {
  domainPrefix: 'LIGHTSPEED_X_DOMAIN_PREFIX',
  clientId: 'LIGHTSPEED_X_CLIENT_ID',
  clientSecret: 'LIGHTSPEED_X_CLIENT_SECRET',
  refreshToken: 'LIGHTSPEED_X_REFRESH_TOKEN',
  baseUrl: 'LIGHTSPEED_X_BASE_URL',
} as const;

export class LightspeedXConfigError extends Error {
  override name = 'LightspeedXConfigError';
}

/** A DNS label: letters, digits and inner hyphens. */
const DOMAIN_PREFIX = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

/** The API root of a store: https://{domain_prefix}.retail.lightspeed.app/api. */
export function lightspeedXBaseUrl(domainPrefix: string): string {
  return `https://${domainPrefix.toLowerCase()}.retail.lightspeed.app/api`;
}

/** Reads the configuration, naming every missing or invalid variable at once (never a value). */
export function lightspeedXConfigFromEnv(env: Record<string, string | undefined>): LightspeedXConfig {
  const { read, problems, requireAll, readHttpUrl, throwIfProblems } = envSettings(env);
  requireAll(
    [
      LIGHTSPEED_X_ENV_VARS.domainPrefix,
      LIGHTSPEED_X_ENV_VARS.clientId,
      LIGHTSPEED_X_ENV_VARS.clientSecret,
      LIGHTSPEED_X_ENV_VARS.refreshToken,
    ],
    'the client ID and secret come from the application at developers.retail.lightspeed.app, the refresh token ' +
      "from connecting the store to it, the domain prefix is the first part of the store's address, " +
      '<prefix>.retail.lightspeed.app',
  );
  const prefix = read(LIGHTSPEED_X_ENV_VARS.domainPrefix);
  if (prefix !== undefined && !DOMAIN_PREFIX.test(prefix)) {
    problems.push(
      `${LIGHTSPEED_X_ENV_VARS.domainPrefix} must be the store's domain prefix only, ` +
        `e.g. example for example.retail.lightspeed.app`,
    );
  }
  const explicitBaseUrl = readHttpUrl(LIGHTSPEED_X_ENV_VARS.baseUrl, 'https://example.retail.lightspeed.app/api');
  throwIfProblems('Lightspeed X-Series', LightspeedXConfigError);

  const domainPrefix = prefix!.toLowerCase();
  const standard = lightspeedXBaseUrl(domainPrefix);
  const baseUrl = (explicitBaseUrl ?? standard).replace(/\/+$/, '');
  return {
    domainPrefix,
    baseUrl,
    environment: baseUrl === standard ? 'production' : 'custom',
    clientId: read(LIGHTSPEED_X_ENV_VARS.clientId)!,
    clientSecret: read(LIGHTSPEED_X_ENV_VARS.clientSecret)!,
    refreshToken: read(LIGHTSPEED_X_ENV_VARS.refreshToken)!,
    apiVersion: LIGHTSPEED_X_API_VERSION,
  };
}

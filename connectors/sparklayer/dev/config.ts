/**
 * SparkLayer connection settings from the environment. Each SparkLayer environment has its own data and
 * its own API keys (https://docs.sparklayer.io/developers/api): live https://app.sparklayer.io,
 * test https://test.app.sparklayer.io. Credentials come from the Dashboard, Settings > API.
 */
import { envSettings } from '../../http/env-settings.js';

export const SPARKLAYER_BASE_URLS = {
  live: 'https://app.sparklayer.io',
  test: 'https://test.app.sparklayer.io',
} as const;

export type SparkLayerEnvironment = keyof typeof SPARKLAYER_BASE_URLS;

export interface SparkLayerConfig {
  baseUrl: string;
  /** `test` or `live`, or `custom` when SPARKLAYER_BASE_URL names another server (a sandbox, a proxy). */
  environment: SparkLayerEnvironment | 'custom';
  siteId: string;
  clientId: string;
  clientSecret: string;
}

export const SPARKLAYER_ENV_VARS = {
  environment: 'SPARKLAYER_ENV',
  baseUrl: 'SPARKLAYER_BASE_URL',
  siteId: 'SPARKLAYER_SITE_ID',
  clientId: 'SPARKLAYER_CLIENT_ID',
  clientSecret: 'SPARKLAYER_CLIENT_SECRET',
} as const;

export class SparkLayerConfigError extends Error {
  override name = 'SparkLayerConfigError';
}

/** Reads the configuration, naming every missing or invalid variable at once (never their values). */
export function sparkLayerConfigFromEnv(env: Record<string, string | undefined>): SparkLayerConfig {
  const { read, problems, requireAll, readHttpUrl, throwIfProblems } = envSettings(env);
  const environmentName = read(SPARKLAYER_ENV_VARS.environment) ?? 'test';
  if (!(environmentName in SPARKLAYER_BASE_URLS)) {
    problems.push(
      `${SPARKLAYER_ENV_VARS.environment} must be "test" or "live", not ${JSON.stringify(environmentName)}`,
    );
  }
  const explicitBaseUrl = readHttpUrl(SPARKLAYER_ENV_VARS.baseUrl, 'https://test.app.sparklayer.io');
  requireAll(
    [SPARKLAYER_ENV_VARS.siteId, SPARKLAYER_ENV_VARS.clientId, SPARKLAYER_ENV_VARS.clientSecret],
    'create API credentials in the SparkLayer Dashboard, Settings > API',
  );
  throwIfProblems('SparkLayer', SparkLayerConfigError);

  const baseUrl = (explicitBaseUrl ?? SPARKLAYER_BASE_URLS[environmentName as SparkLayerEnvironment]).replace(
    /\/+$/,
    '',
  );
  const knownEnvironment = (Object.keys(SPARKLAYER_BASE_URLS) as SparkLayerEnvironment[]).find(
    (name) => SPARKLAYER_BASE_URLS[name] === baseUrl,
  );
  return {
    baseUrl,
    environment: knownEnvironment ?? 'custom',
    siteId: read(SPARKLAYER_ENV_VARS.siteId)!,
    clientId: read(SPARKLAYER_ENV_VARS.clientId)!,
    clientSecret: read(SPARKLAYER_ENV_VARS.clientSecret)!,
  };
}

/**
 * NetSuite connection settings from the environment: the account ID and the four token-based-authentication
 * credentials (an integration record's consumer key and secret, and an access token's ID and secret:
 * https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_1534941088.html).
 *
 * The REST base URL is the account-specific domain, https://<account>.suitetalk.api.netsuite.com/services/rest,
 * where the account ID is written in lower case with `-` (1234567-sb1) while the OAuth realm writes it in upper
 * case with `_` (1234567_SB1). Oracle asks integrations to take the domain from Setup > Company > Company
 * Information > Company URLs rather than build it (https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_1498251763.html):
 * NETSUITE_BASE_URL overrides the built one.
 */
import { envSettings } from '../../http/env-settings.js';
export interface NetSuiteConfig {
  /** As the consultant entered it, e.g. `1234567_SB1`. */
  accountId: string;
  /** The OAuth realm: the account ID in upper case with `_`. */
  realm: string;
  /** Ends in /services/rest, no trailing slash. */
  baseUrl: string;
  /** `custom` when NETSUITE_BASE_URL names another server (a proxy, the fake NetSuite). */
  environment: 'production' | 'sandbox' | 'custom';
  consumerKey: string;
  consumerSecret: string;
  tokenId: string;
  tokenSecret: string;
}

export const NETSUITE_ENV_VARS = {
  accountId: 'NETSUITE_ACCOUNT_ID',
  consumerKey: 'NETSUITE_CONSUMER_KEY',
  consumerSecret: 'NETSUITE_CONSUMER_SECRET',
  tokenId: 'NETSUITE_TOKEN_ID',
  tokenSecret: 'NETSUITE_TOKEN_SECRET',
  baseUrl: 'NETSUITE_BASE_URL',
} as const;

export class NetSuiteConfigError extends Error {
  override name = 'NetSuiteConfigError';
}

/** Letters and digits, with `_` or `-` before a suffix such as SB1 or RP. */
const ACCOUNT_ID = /^[A-Za-z0-9]+(?:[_-][A-Za-z0-9]+)*$/;

/**
 * The OAuth realm NetSuite expects: the account ID in upper case, `-` written `_` (1234567-sb1 → 1234567_SB1). The
 * realm is the account ID (RESTlets and REST Web Services Authentication Errors: "The value of the realm is the
 * account ID", https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/subsect_158521885412.html).
 */
export function netsuiteRealm(accountId: string): string {
  return accountId.trim().toUpperCase().replace(/-/g, '_');
}

/**
 * The account ID as the account-specific domain writes it: lower case, `_` written `-` (1234567_SB1 → 1234567-sb1).
 */
export function netsuiteHostAccount(accountId: string): string {
  return accountId.trim().toLowerCase().replace(/_/g, '-');
}

/** The REST base URL of an account's own domain. */
export function netsuiteRestBaseUrl(accountId: string): string {
  return `https://${netsuiteHostAccount(accountId)}.suitetalk.api.netsuite.com/services/rest`;
}

/** Reads the configuration, naming every missing or invalid variable at once (never a value). */
export function netSuiteConfigFromEnv(env: Record<string, string | undefined>): NetSuiteConfig {
  const { read, problems, requireAll, readHttpUrl, throwIfProblems } = envSettings(env);
  requireAll(
    [
      NETSUITE_ENV_VARS.accountId,
      NETSUITE_ENV_VARS.consumerKey,
      NETSUITE_ENV_VARS.consumerSecret,
      NETSUITE_ENV_VARS.tokenId,
      NETSUITE_ENV_VARS.tokenSecret,
    ],
    'the consumer key and secret come from the integration record, the token ID and secret from the access ' +
      'token; the account ID from Setup > Company > Company Information',
  );
  const accountId = read(NETSUITE_ENV_VARS.accountId);
  if (accountId !== undefined && !ACCOUNT_ID.test(accountId)) {
    problems.push(`${NETSUITE_ENV_VARS.accountId} must be a NetSuite account ID such as 1234567 or 1234567_SB1`);
  }
  const explicitBaseUrl = readHttpUrl(
    NETSUITE_ENV_VARS.baseUrl,
    'https://1234567.suitetalk.api.netsuite.com/services/rest',
  );
  throwIfProblems('NetSuite', NetSuiteConfigError);

  const account = accountId!;
  const baseUrl = (explicitBaseUrl ?? netsuiteRestBaseUrl(account)).replace(/\/+$/, '');
  const environment =
    explicitBaseUrl !== undefined && baseUrl !== netsuiteRestBaseUrl(account)
      ? 'custom'
      : /[_-]/.test(account)
        ? 'sandbox'
        : 'production';
  return {
    accountId: account,
    realm: netsuiteRealm(account),
    baseUrl,
    environment,
    consumerKey: read(NETSUITE_ENV_VARS.consumerKey)!,
    consumerSecret: read(NETSUITE_ENV_VARS.consumerSecret)!,
    tokenId: read(NETSUITE_ENV_VARS.tokenId)!,
    tokenSecret: read(NETSUITE_ENV_VARS.tokenSecret)!,
  };
}

/**
 * Shopify connection settings from the environment, for `--live`: the store's myshopify.com domain and an Admin API
 * access token (a custom app's, with read_orders and read_draft_orders), sent as X-Shopify-Access-Token
 * (https://shopify.dev/docs/api/admin-graphql#authentication). UNVERIFIED: the exact scope names, not read for this.
 */
import { envSettings } from '../../http/env-settings.js';

export interface ShopifyConfig {
  /** `https://<store>.myshopify.com`, no trailing slash. */
  baseUrl: string;
  accessToken: string;
}

export const SHOPIFY_ENV_VARS = { baseUrl: 'SHOPIFY_STORE_URL', accessToken: 'SHOPIFY_ACCESS_TOKEN' } as const;

export class ShopifyConfigError extends Error {
  override name = 'ShopifyConfigError';
}

/** Reads the configuration, naming every missing or invalid variable at once (never their values). */
export function shopifyConfigFromEnv(env: Record<string, string | undefined>): ShopifyConfig {
  const { read, requireAll, readHttpUrl, throwIfProblems } = envSettings(env);
  const baseUrl = readHttpUrl(SHOPIFY_ENV_VARS.baseUrl, 'https://your-store.myshopify.com');
  requireAll(
    [SHOPIFY_ENV_VARS.baseUrl, SHOPIFY_ENV_VARS.accessToken],
    "install a custom app in the Shopify admin and copy its Admin API access token; the store's myshopify.com URL",
  );
  throwIfProblems('Shopify', ShopifyConfigError);
  return { baseUrl: baseUrl!.replace(/\/+$/, ''), accessToken: read(SHOPIFY_ENV_VARS.accessToken)! };
}

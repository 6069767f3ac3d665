import { describe, expect, it } from 'vitest';
import { SparkLayerConfigError, sparkLayerConfigFromEnv } from '../../../../connectors/sparklayer/dev/config.js';
import { mergeForReplace } from '../../../../connectors/http/merge-for-replace.js';
import { backoffDelay, parseRetryAfter } from '../../../../connectors/http/retry.js';

const credentials = {
  SPARKLAYER_SITE_ID: 'site-1',
  SPARKLAYER_CLIENT_ID: 'client-1',
  SPARKLAYER_CLIENT_SECRET: 's3cret-value',
};

describe('SparkLayer configuration from the environment', () => {
  it('defaults to the test environment', () => {
    expect(sparkLayerConfigFromEnv(credentials)).toEqual({
      baseUrl: 'https://test.app.sparklayer.io',
      environment: 'test',
      siteId: 'site-1',
      clientId: 'client-1',
      clientSecret: 's3cret-value',
    });
  });

  it('uses the live URL for SPARKLAYER_ENV=live, and an explicit SPARKLAYER_BASE_URL over both', () => {
    expect(sparkLayerConfigFromEnv({ ...credentials, SPARKLAYER_ENV: 'live' })).toMatchObject({
      baseUrl: 'https://app.sparklayer.io',
      environment: 'live',
    });
    expect(sparkLayerConfigFromEnv({ ...credentials, SPARKLAYER_BASE_URL: 'http://127.0.0.1:4010/' })).toMatchObject({
      baseUrl: 'http://127.0.0.1:4010',
      environment: 'custom',
    });
    expect(
      sparkLayerConfigFromEnv({ ...credentials, SPARKLAYER_BASE_URL: 'https://app.sparklayer.io' }).environment,
    ).toBe('live');
  });

  it('names every missing variable at once, never a value', () => {
    const attempt = () =>
      sparkLayerConfigFromEnv({ SPARKLAYER_CLIENT_SECRET: 's3cret-value', SPARKLAYER_CLIENT_ID: ' ' });
    expect(attempt).toThrow(SparkLayerConfigError);
    expect(attempt).toThrow(
      'SparkLayer configuration: missing SPARKLAYER_SITE_ID, SPARKLAYER_CLIENT_ID (create API ' +
        'credentials in the SparkLayer Dashboard, Settings > API).',
    );
  });

  it('rejects an unknown environment and a base URL that is not a URL', () => {
    expect(() =>
      sparkLayerConfigFromEnv({ ...credentials, SPARKLAYER_ENV: 'staging', SPARKLAYER_BASE_URL: 'app.sparklayer.io' }),
    ).toThrow(
      'SparkLayer configuration: SPARKLAYER_ENV must be "test" or "live", not "staging"; SPARKLAYER_BASE_URL must be an http(s) URL such as https://test.app.sparklayer.io.',
    );
  });
});

describe('HTTP helpers', () => {
  const now = Date.parse('2026-11-22T09:00:00Z');

  it('parseRetryAfter reads delay-seconds and HTTP dates, and ignores what it cannot read', () => {
    expect(parseRetryAfter('30', now)).toBe(30_000);
    expect(parseRetryAfter('Sun, 22 Nov 2026 09:00:45 GMT', now)).toBe(45_000);
    expect(parseRetryAfter('Sun, 22 Nov 2026 08:59:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });

  it('backoffDelay doubles up to the cap', () => {
    const policy = { maxRetries: 9, baseDelayMs: 100, maxDelayMs: 1_000 };
    expect([0, 1, 2, 3, 4, 5].map((attempt) => backoffDelay(attempt, policy, () => 1))).toEqual([
      100, 200, 400, 800, 1_000, 1_000,
    ]);
  });

  it(
    'mergeForReplace merges objects field by field, replaces arrays and scalars, keeps what the change ' + 'leaves out',
    () => {
      const current = { a: 1, nested: { x: 1, y: 2 }, list: [1, 2, 3], keep: 'me' };
      expect(mergeForReplace(current, { nested: { y: 5 }, list: [9], a: undefined })).toEqual({
        a: 1,
        nested: { x: 1, y: 5 },
        list: [9],
        keep: 'me',
      });
      expect(mergeForReplace<Record<string, unknown>>(current, { nested: null, extra: true })).toMatchObject({
        nested: null,
        extra: true,
      });
      expect(current.nested).toEqual({ x: 1, y: 2 });
    },
  );
});

// OAuth 1.0a (NetSuite token-based authentication) against published vectors: RFC 5849's worked example for the
// base string, and Oracle's own signature example for HMAC-SHA256; then the header format. (NetSuite's realm:
// test/connectors/netsuite/dev/config.test.ts.)
import { describe, expect, it } from 'vitest';
import {
  baseStringUri,
  generateNonce,
  normalizeParameters,
  parseAuthorizationHeader,
  percentEncode,
  queryParameters,
  signatureBaseString,
  signingKey,
  signRequest,
  verifySignature,
} from '../../../connectors/http/oauth1.js';

/**
 * RFC 5849 §3.4.1.1 (https://www.rfc-editor.org/rfc/rfc5849#section-3.4.1.1): the request
 *   POST /request?b5=%3D%253D&a3=a&c%40=&a2=r%20b  Host: example.com  body: c2&a3=2+q
 * and its signature base string, as printed in the RFC (the same string is asserted by public OAuth libraries,
 * e.g. LedgerSync/ledger_sync-netsuite spec/token_spec.rb context 'https://tools.ietf.org/html/rfc5849').
 * The RFC's printed signature for this request is not used: its secrets are not part of the example.
 */
const RFC5849 = {
  url: 'http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b',
  body: 'c2&a3=2+q',
  oauth: [
    ['oauth_consumer_key', '9djdj82h48djs9d2'],
    ['oauth_token', 'kkk9d7dh3k39sjv7'],
    ['oauth_signature_method', 'HMAC-SHA1'],
    ['oauth_timestamp', '137131201'],
    ['oauth_nonce', '7d8f3e4a'],
  ] as Array<[string, string]>,
  normalized:
    'a2=r%20b&a3=2%20q&a3=a&b5=%3D%253D&c%40=&c2=&oauth_consumer_key=9djdj82h48djs9d2&oauth_nonce=7d8f3e4a' +
    '&oauth_signature_method=HMAC-SHA1&oauth_timestamp=137131201&oauth_token=kkk9d7dh3k39sjv7',
  baseString:
    'POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da' +
    '%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D' +
    '%26oauth_consumer_key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1' +
    '%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk9d7dh3k39sjv7',
};

/**
 * Oracle's worked example in "The Signature for Web Services and RESTlets"
 * (https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_1534941088.html): account 1234567, a POST to
 * a RESTlet URL with four query parameters, HMAC-SHA256. The expected base string and signature are the ones
 * LedgerSync's NetSuite client asserts for those inputs (github.com/LedgerSync/ledger_sync-netsuite,
 * spec/token_spec.rb, which cites the same Oracle section); recomputed independently with openssl-equivalent
 * HMAC before being written here.
 */
const ORACLE = {
  url: 'https://1234567.restlets.api.netsuite.com/app/site/hosting/restlet.nl?script=6&deploy=1&customParam=someValue&testParam=someOtherValue',
  credentials: {
    consumerKey: 'ef40afdd8abaac111b13825dd5e5e2ddddb44f86d5a0dd6dcf38c20aae6b67e4',
    consumerSecret: 'd26ad321a4b2f23b0741c8d38392ce01c3e23e109df6c96eac6d099e9ab9e8b5',
    tokenId: '2b0ce516420110bcbd36b69e99196d1b7f6de3c6234c5afb799b73d87569f5cc',
    tokenSecret: 'c29a677df7d5439a458c063654187e3d678d73aca8e3c9d8bea1478a3eb0d295',
  },
  nonce: 'fjaLirsIcCGVZWzBX0pg',
  timestamp: 1508242306,
  baseString:
    'POST&https%3A%2F%2F1234567.restlets.api.netsuite.com%2Fapp%2Fsite%2Fhosting%2Frestlet.nl&customParam%3DsomeValue' +
    '%26deploy%3D1%26oauth_consumer_key%3Def40afdd8abaac111b13825dd5e5e2ddddb44f86d5a0dd6dcf38c20aae6b67e4%26' +
    'oauth_nonce%3DfjaLirsIcCGVZWzBX0pg%26oauth_signature_method%3DHMAC-SHA256%26oauth_timestamp%3D1508242306%26' +
    'oauth_token%3D2b0ce516420110bcbd36b69e99196d1b7f6de3c6234c5afb799b73d87569f5cc%26oauth_version%3D1.0%26script' +
    '%3D6%26testParam%3DsomeOtherValue',
  signature: 'i7MEtGwhCTIZbTsTrNGw9LdcERn4wsjt5C7TxmKWIfU=',
};

describe('RFC 5849 §3.4.1: the signature base string', () => {
  const body = [...new URLSearchParams(RFC5849.body).entries()];
  const all = [...RFC5849.oauth, ...queryParameters(RFC5849.url), ...body];

  it('reads the query and body parameters decoded, + as a space', () => {
    expect(queryParameters(RFC5849.url)).toEqual([
      ['b5', '=%3D'],
      ['a3', 'a'],
      ['c@', ''],
      ['a2', 'r b'],
    ]);
    expect(body).toEqual([
      ['c2', ''],
      ['a3', '2 q'],
    ]);
  });

  it('normalises the parameters as the RFC prints them (§3.4.1.3.2)', () => {
    expect(normalizeParameters(all)).toBe(RFC5849.normalized);
  });

  it('builds the base string the RFC prints (§3.4.1.1)', () => {
    expect(signatureBaseString('post', RFC5849.url, all)).toBe(RFC5849.baseString);
  });

  it('keeps only scheme, host, port (when not the default) and path in the base string URI (§3.4.1.2)', () => {
    expect(baseStringUri('HTTP://EXAMPLE.COM:80/r%20v/X?id=123')).toBe('http://example.com/r%20v/X');
    expect(baseStringUri('https://www.example.net:8080/?q=1')).toBe('https://www.example.net:8080/');
  });

  it('percent-encodes every reserved character, spaces as %20 and never +', () => {
    expect(percentEncode("a b!'()*~-._")).toBe('a%20b%21%27%28%29%2A~-._');
    expect(percentEncode('é')).toBe('%C3%A9');
  });

  it('builds the signing key from the encoded consumer and token secrets (§3.4.2)', () => {
    expect(signingKey('j49sk3j29djd', 'dh893hdasih9')).toBe('j49sk3j29djd&dh893hdasih9');
    expect(signingKey('a&b', 'c d')).toBe('a%26b&c%20d');
  });
});

describe("Oracle's HMAC-SHA256 example", () => {
  const signed = signRequest({
    method: 'POST',
    url: ORACLE.url,
    realm: '1234567',
    credentials: ORACLE.credentials,
    nonce: ORACLE.nonce,
    timestamp: ORACLE.timestamp,
  });

  it('gives the published base string, query parameters included and the realm left out', () => {
    expect(signed.baseString).toBe(ORACLE.baseString);
    expect(signed.baseString).not.toContain('realm');
  });

  it('gives the published signature', () => {
    expect(signed.signature).toBe(ORACLE.signature);
  });

  it('writes the Authorization header NetSuite documents: realm first, every value quoted and percent-encoded', () => {
    expect(signed.authorization).toBe(
      'OAuth realm="1234567", oauth_consumer_key="ef40afdd8abaac111b13825dd5e5e2ddddb44f86d5a0dd6dcf38c20aae6b67e4", ' +
        ('oauth_token="2b0ce516420110bcbd36b69e99196d1b7f6de3c6234c5afb799b73d87569f5cc", ' +
          'oauth_signature_method="HMAC-SHA256", ') +
        'oauth_timestamp="1508242306", oauth_nonce="fjaLirsIcCGVZWzBX0pg", oauth_version="1.0", ' +
        `oauth_signature="${encodeURIComponent(ORACLE.signature)}"`,
    );
  });

  it('never writes a secret into the header', () => {
    expect(signed.authorization).not.toContain(ORACLE.credentials.consumerSecret);
    expect(signed.authorization).not.toContain(ORACLE.credentials.tokenSecret);
  });

  it('is verified by the server side from the header alone, and refused with the wrong secret or a changed URL', () => {
    const header = parseAuthorizationHeader(signed.authorization)!;
    expect(header.get('oauth_signature')).toBe(ORACLE.signature);
    expect(header.get('realm')).toBe('1234567');
    const secrets = { consumerSecret: ORACLE.credentials.consumerSecret, tokenSecret: ORACLE.credentials.tokenSecret };
    expect(verifySignature('POST', ORACLE.url, header, secrets)).toBe(true);
    expect(verifySignature('GET', ORACLE.url, header, secrets)).toBe(false);
    expect(verifySignature('POST', ORACLE.url.replace('deploy=1', 'deploy=2'), header, secrets)).toBe(false);
    expect(verifySignature('POST', ORACLE.url, header, { ...secrets, tokenSecret: 'x' })).toBe(false);
  });
});

describe('nonce and timestamp', () => {
  const credentials = { consumerKey: 'ck', consumerSecret: 'cs', tokenId: 'tk', tokenSecret: 'ts' };

  it('makes a fresh alphanumeric nonce of 6 to 64 characters for every request, and a Unix timestamp', () => {
    const nonces = new Set(Array.from({ length: 50 }, () => generateNonce()));
    expect(nonces.size).toBe(50);
    for (const nonce of nonces) expect(nonce).toMatch(/^[A-Za-z0-9]{6,64}$/);
    const signed = signRequest({ method: 'GET', url: 'https://x.example/a', realm: 'R', credentials });
    expect(Number(signed.timestamp)).toBeCloseTo(Date.now() / 1000, -1);
  });

  it('refuses a nonce NetSuite would refuse', () => {
    expect(() =>
      signRequest({ method: 'GET', url: 'https://x.example/a', realm: 'R', credentials, nonce: 'ab-c' }),
    ).toThrow(/nonce/);
    expect(() =>
      signRequest({ method: 'GET', url: 'https://x.example/a', realm: 'R', credentials, nonce: 'abc' }),
    ).toThrow(/nonce/);
  });

  it('signs the query parameters of a SuiteQL page request, so a changed offset changes the signature', () => {
    const url = (offset: number) =>
      `https://1234567-sb1.suitetalk.api.netsuite.com/services/rest/query/v1/suiteql?limit=1000&offset=${offset}`;
    const at = (offset: number) =>
      signRequest({
        method: 'POST',
        url: url(offset),
        realm: '1234567_SB1',
        credentials,
        nonce: 'abcdef',
        timestamp: 1,
      });
    expect(at(0).baseString).toContain('limit%3D1000');
    expect(at(0).baseString).toContain('offset%3D0');
    expect(at(0).signature).not.toBe(at(1000).signature);
  });

  it('reads back a header only when it is an OAuth header', () => {
    expect(parseAuthorizationHeader('Bearer abc')).toBeUndefined();
    expect(parseAuthorizationHeader(undefined)).toBeUndefined();
    expect(parseAuthorizationHeader('OAuth realm="A", broken')).toBeUndefined();
  });
});

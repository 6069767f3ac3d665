/**
 * OAuth 1.0a request signing (RFC 5849) with HMAC-SHA256, with Node's crypto and nothing else: the client's side
 * (sign a request, write its Authorization header) and the server's side (read the header back, verify the
 * signature), which a fake uses to check a request the way the real server would. NetSuite's token-based
 * authentication (TBA) is its user; the realm is the caller's (NetSuite's is in connectors/netsuite/dev/config.ts).
 *
 * NetSuite's rules (The Signature for Web Services and RESTlets,
 * https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_1534941088.html, and The Authorization
 * Headers, https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_1534941295.html): HMAC-SHA256
 * (HMAC-SHA1 ended in 2023.1), RFC 5849 percent-encoding, the signing key `consumerSecret&tokenSecret`, a nonce
 * of 6 to 64 alphanumeric characters, a Unix timestamp, and a `realm` naming the account.
 *
 * The base string is RFC 5849 §3.4.1: the method, the base string URI (scheme and host in lower case, no default
 * port, no query) and the normalised parameters: every oauth_* parameter but the signature and the realm, plus
 * every query parameter (and form-body parameter; NetSuite's JSON bodies have none), each percent-encoded, sorted
 * by name then value. Nonce and timestamp are injectable so that signatures are testable.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_METHOD = 'HMAC-SHA256';
export const OAUTH_VERSION = '1.0';

export interface TokenCredentials {
  consumerKey: string;
  consumerSecret: string;
  tokenId: string;
  tokenSecret: string;
}

export interface SignRequest {
  method: string;
  /** The full request URL, query included: its query parameters are signed. */
  url: string;
  /** Sent in the header, never signed (RFC 5849 §3.4.1.3.1). */
  realm: string;
  credentials: TokenCredentials;
  /** Alphanumeric, 6 to 64 characters; a fresh random one when left out. */
  nonce?: string;
  /** Seconds since the Unix epoch. */
  timestamp?: number;
  /** Parameters of an application/x-www-form-urlencoded body, which RFC 5849 signs too. */
  formParameters?: ReadonlyArray<readonly [string, string]>;
}

export interface SignedRequest {
  authorization: string;
  baseString: string;
  signature: string;
  nonce: string;
  timestamp: string;
}

/** RFC 5849 §3.6: everything but ALPHA, DIGIT, `-`, `.`, `_` and `~` as %XX of its UTF-8 bytes. */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** RFC 5849 §3.4.1.2: scheme and host in lower case, the port only when not the scheme's default, the path. */
export function baseStringUri(url: string): string {
  const parsed = new URL(url);
  // URL already drops a default port and lower-cases scheme and host.
  return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
}

/** The query's name/value pairs, decoded as application/x-www-form-urlencoded (RFC 5849 §3.4.1.3.1). */
export function queryParameters(url: string): Array<[string, string]> {
  return [...new URL(url).searchParams.entries()];
}

/** RFC 5849 §3.4.1.3.2: encode each name and value, sort by name then value, join as `name=value&...`. */
export function normalizeParameters(parameters: ReadonlyArray<readonly [string, string]>): string {
  return parameters
    .map(([name, value]) => [percentEncode(name), percentEncode(value)] as const)
    .sort(([nameA, valueA], [nameB, valueB]) => compare(nameA, nameB) || compare(valueA, valueB))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
}

/** RFC 5849 §3.4.1.1: `METHOD&encoded base string URI&encoded normalised parameters`. */
export function signatureBaseString(
  method: string,
  url: string,
  parameters: ReadonlyArray<readonly [string, string]>,
): string {
  return [method.toUpperCase(), percentEncode(baseStringUri(url)), percentEncode(normalizeParameters(parameters))].join(
    '&',
  );
}

/** RFC 5849 §3.4.2: the encoded client (consumer) secret and token secret joined by `&`. */
export function signingKey(consumerSecret: string, tokenSecret: string): string {
  return `${percentEncode(consumerSecret)}&${percentEncode(tokenSecret)}`;
}

export function hmacSha256(baseString: string, key: string): string {
  return createHmac('sha256', key).update(baseString).digest('base64');
}

/** 32 hex characters: alphanumeric and within NetSuite's 6 to 64. */
export function generateNonce(): string {
  return randomBytes(16).toString('hex');
}

/** The oauth_* protocol parameters of a request, in the order they are written to the header. */
function protocolParameters(credentials: TokenCredentials, nonce: string, timestamp: string): Array<[string, string]> {
  return [
    ['oauth_consumer_key', credentials.consumerKey],
    ['oauth_token', credentials.tokenId],
    ['oauth_signature_method', SIGNATURE_METHOD],
    ['oauth_timestamp', timestamp],
    ['oauth_nonce', nonce],
    ['oauth_version', OAUTH_VERSION],
  ];
}

/** Signs one request and writes its Authorization header. */
export function signRequest(request: SignRequest): SignedRequest {
  const nonce = request.nonce ?? generateNonce();
  if (!/^[A-Za-z0-9]{6,64}$/.test(nonce)) throw new RangeError('the OAuth nonce must be 6 to 64 letters and digits');
  const timestamp = String(request.timestamp ?? Math.floor(Date.now() / 1000));
  const oauth = protocolParameters(request.credentials, nonce, timestamp);
  const baseString = signatureBaseString(request.method, request.url, [
    ...oauth,
    ...queryParameters(request.url),
    ...(request.formParameters ?? []),
  ]);
  const signature = hmacSha256(
    baseString,
    signingKey(request.credentials.consumerSecret, request.credentials.tokenSecret),
  );
  const fields: Array<[string, string]> = [['realm', request.realm], ...oauth, ['oauth_signature', signature]];
  const authorization = `OAuth ${fields.map(([name, value]) => `${name}="${percentEncode(value)}"`).join(', ')}`;
  return { authorization, baseString, signature, nonce, timestamp };
}

// ---------------------------------------------------------------------------------------------------------
// The server's side: what a fake (the fake NetSuite) uses to check a request the way the real server would.

/** The parameters of an `Authorization: OAuth ...` header, percent-decoded; undefined when it is not one. */
export function parseAuthorizationHeader(header: string | null | undefined): Map<string, string> | undefined {
  const match = /^OAuth\s+(.+)$/is.exec(header?.trim() ?? '');
  if (!match) return undefined;
  const parameters = new Map<string, string>();
  for (const part of match[1]!.split(',')) {
    const pair = /^\s*([A-Za-z0-9_]+)\s*=\s*"([^"]*)"\s*$/.exec(part);
    if (!pair) return undefined;
    try {
      parameters.set(pair[1]!, decodeURIComponent(pair[2]!));
    } catch {
      return undefined;
    }
  }
  return parameters;
}

/**
 * Recomputes the signature of a received request from the secrets the server holds; true only when it matches
 * the one sent (compared in constant time).
 */
export function verifySignature(
  method: string,
  url: string,
  header: ReadonlyMap<string, string>,
  secrets: { consumerSecret: string; tokenSecret: string },
): boolean {
  const sent = header.get('oauth_signature');
  if (sent === undefined) return false;
  const oauth = [...header].filter(([name]) => name.startsWith('oauth_') && name !== 'oauth_signature');
  const expected = hmacSha256(
    signatureBaseString(method, url, [...oauth, ...queryParameters(url)]),
    signingKey(secrets.consumerSecret, secrets.tokenSecret),
  );
  const a = Buffer.from(sent);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

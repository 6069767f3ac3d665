/**
 * The sandbox's OAuth: tokens issued for a refresh token, which ROTATES: every refresh returns a new refresh token, and
 * the previous one is revoked as soon as the new access token is first used, after which it is refused with
 * invalid_grant (https://developers.lightspeedhq.com/retail/authentication/refresh-token/).
 */
import { json, readForm } from './http.js';

export class TokenIssuer {
  private readonly refreshTokens = new Map<string, { predecessor?: string }>();
  private readonly revokedRefreshTokens = new Set<string>();
  private readonly accessTokens = new Map<string, { expiresAt: number; refreshToken: string; used: boolean }>();
  private tokenCounter = 0;
  private readonly clientId: string;
  private readonly clientSecret: string;
  private readonly ttlSeconds: number;
  private readonly now: () => number;

  constructor(options: {
    clientId: string;
    clientSecret: string;
    ttlSeconds: number;
    /** The refresh token it starts by accepting. */
    refreshToken: string;
    now: () => number;
  }) {
    this.clientId = options.clientId;
    this.clientSecret = options.clientSecret;
    this.ttlSeconds = options.ttlSeconds;
    this.now = options.now;
    this.refreshTokens.set(options.refreshToken, {});
  }

  /** Every access token issued so far expires now (the next API call is a 401). */
  expireAccessTokens(): void {
    for (const token of this.accessTokens.values()) token.expiresAt = 0;
  }

  /** Whether this refresh token would be accepted now. */
  acceptsRefreshToken(token: string): boolean {
    return this.refreshTokens.has(token);
  }

  /** Answers a token request (grant_type=refresh_token). */
  async issue(request: Request): Promise<Response> {
    const fields = await readForm(request);
    if (fields.client_id !== this.clientId || fields.client_secret !== this.clientSecret) {
      return json({ error: 'invalid_client', error_description: 'Client authentication failed' }, 401);
    }
    if (fields.grant_type !== 'refresh_token' || !fields.refresh_token) {
      return json(
        {
          error: 'invalid_request',
          error_description:
            'The request is missing a required parameter, includes an invalid parameter value, includes ' +
            'a parameter more than once, or is otherwise malformed.',
        },
        400,
      );
    }
    const presented = fields.refresh_token;
    if (!this.refreshTokens.has(presented)) {
      return json(
        {
          error: 'invalid_grant',
          error_description: 'The refresh token is invalid.',
          hint: this.revokedRefreshTokens.has(presented) ? 'Token has been revoked' : 'Token is not known',
        },
        400,
      );
    }
    this.tokenCounter += 1;
    const access = `sandbox-access-${this.tokenCounter}`;
    const refresh = `sandbox-refresh-${this.tokenCounter}`;
    this.refreshTokens.set(refresh, { predecessor: presented });
    this.accessTokens.set(access, {
      expiresAt: this.now() + this.ttlSeconds * 1000,
      refreshToken: refresh,
      used: false,
    });
    return json(
      { token_type: 'Bearer', expires_in: this.ttlSeconds, access_token: access, refresh_token: refresh },
      200,
    );
  }

  /** Refuses a request without a live access token; the first use of a new one revokes the refresh token before it. */
  authenticate(request: Request): Response | undefined {
    const header = request.headers.get('authorization') ?? '';
    const token = /^Bearer\s+(\S+)$/.exec(header)?.[1];
    const state = token === undefined ? undefined : this.accessTokens.get(token);
    if (state === undefined || this.now() >= state.expiresAt) {
      return json(
        {
          error: 'access_denied',
          error_description: 'The resource owner or authorization server denied the request.',
          hint: 'Access token could not be verified',
        },
        401,
      );
    }
    if (!state.used) {
      // "Once the new access token is used to authenticate a request, the old refresh token will be revoked."
      state.used = true;
      const predecessor = this.refreshTokens.get(state.refreshToken)?.predecessor;
      if (predecessor !== undefined) {
        this.refreshTokens.delete(predecessor);
        this.revokedRefreshTokens.add(predecessor);
      }
    }
    return undefined;
  }
}

/**
 * What goes wrong talking to Lightspeed R-Series, as typed errors whose messages are safe to log (tokens, the client
 * secret and refresh tokens are redacted before any text is built). Status codes as Lightspeed lists them
 * (https://developers.lightspeedhq.com/retail/introduction/errors/); OAuth errors carry `error`, `error_description`
 * and `hint` (https://developers.lightspeedhq.com/retail/authentication/refresh-token/). Lightspeed documents no body
 * for API errors, so the body travels as sent (redacted), not read field by field.
 */
import { apiErrorBases, type ApiErrorDetails } from '../../http/api-error.js';

const bases = apiErrorBases<LightspeedRErrorDetails>('lightspeed-r', 'LightspeedR');

/** `path` is the path under the API host (or the token URL's path), query included. */
export interface LightspeedRErrorDetails extends ApiErrorDetails {
  /** OAuth's error code, e.g. invalid_grant, when the answer is an OAuth error. */
  oauthError?: string;
  /** The body, redacted, when there was one. */
  body?: unknown;
  /** `api-leaky-bucket` or `api-burst-limiter` on a 429 (X-LS-API-RateLimit-Type). */
  rateLimitType?: string;
}

/** R-Series answered with an error status. */
export class LightspeedRApiError extends bases.StatusError {}

/** The token endpoint refused the refresh (invalid_grant: a revoked or expired refresh token), or a 401/403 persisted.
 */
export class LightspeedRAuthError extends LightspeedRApiError {
  override name = 'LightspeedRAuthError';
}

/** No answer at all (connection reset, timeout, DNS), after every retry. */
export class LightspeedRNetworkError extends bases.NetworkError {}

/** A 2xx answer that is not what Lightspeed documents. */
export class LightspeedRResponseError extends bases.ResponseError {}

/**
 * What goes wrong talking to Lightspeed X-Series, as typed errors whose messages are safe to log (tokens and the
 * client secret are redacted before a message is built). X-Series error bodies are {"error": short title,
 * "message": detail} (https://x-series-api.lightspeedhq.com/docs/rate_limiting shows the 429 one); anything else an
 * error answer carries is kept as `body`.
 */
import { apiErrorBases, type ApiErrorDetails } from '../../http/api-error.js';

const bases = apiErrorBases<LightspeedXErrorDetails>('lightspeed-x', 'LightspeedX');

/** `path` is the path under the API root, query included. */
export interface LightspeedXErrorDetails extends ApiErrorDetails {
  /** The body's `error` (a short title). */
  error?: string;
  /** The body's `message`. */
  message?: string;
  /** The body when it was not {error, message} (secrets redacted). */
  body?: unknown;
}

/** X-Series answered with an error status. */
export class LightspeedXApiError extends bases.StatusError {}

/**
 * The credentials were refused: the token endpoint turned the refresh token down (revoked, expired, or the client ID
 * and secret are wrong), or the API still refused a freshly refreshed access token. The store must be connected again.
 */
export class LightspeedXAuthError extends LightspeedXApiError {
  override name = 'LightspeedXAuthError';
}

/** No answer at all (connection reset, timeout, DNS), after every retry. */
export class LightspeedXNetworkError extends bases.NetworkError {}

/** A 2xx answer that is not what X-Series documents. */
export class LightspeedXResponseError extends bases.ResponseError {}

/** What goes wrong talking to SparkLayer, as typed errors whose messages are safe to log (all ApiErrors:
 * connectors/http/api-error.ts). */
import { apiErrorBases, type ApiErrorDetails } from '../../http/api-error.js';
import type { ProblemDetails } from '../schemas.js';

const bases = apiErrorBases<SparkLayerErrorDetails>('sparklayer', 'SparkLayer');

export interface FieldError {
  property?: string;
  code?: string;
  message?: string;
}

export interface SparkLayerErrorDetails extends ApiErrorDetails {
  title?: string;
  detail?: string;
  fieldErrors: FieldError[];
  /** The body when it was not problem details (e.g. the pricing endpoint's [{line, field, message}]). */
  body?: unknown;
}

/** SparkLayer answered with an error status (RFC 7807 problem details when it sent a body). */
export class SparkLayerApiError extends bases.StatusError {}

/** SparkLayer refused the credentials, or a fresh token was refused too. */
export class SparkLayerAuthError extends SparkLayerApiError {
  override name = 'SparkLayerAuthError';
}

/** No answer at all (connection reset, timeout, DNS), after every retry. */
export class SparkLayerNetworkError extends bases.NetworkError {}

/** A 2xx answer whose body is not what SparkLayer documents. */
export class SparkLayerResponseError extends bases.ResponseError {}

export function describeProblem(problem: ProblemDetails | undefined): string {
  if (!problem) return '';
  const fields = (problem.errors ?? [])
    .map((e) => [e.property, e.message ?? e.code].filter(Boolean).join(': '))
    .filter(Boolean);
  return [problem.title, problem.detail, fields.length > 0 ? `fields: ${fields.join('; ')}` : undefined]
    .filter(Boolean)
    .join(' - ');
}

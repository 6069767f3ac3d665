/** What goes wrong talking to SparkLayer, as typed errors whose messages are safe to log. */
import type { ProblemDetails } from '../schemas.js';

export interface FieldError {
  property?: string;
  code?: string;
  message?: string;
}

/** SparkLayer answered with an error status (RFC 7807 problem details when it sent a body). */
export class SparkLayerApiError extends Error {
  override name = 'SparkLayerApiError';
  constructor(
    message: string,
    readonly details: {
      method: string;
      path: string;
      status: number;
      attempts: number;
      title?: string;
      detail?: string;
      fieldErrors: FieldError[];
      /** The body when it was not problem details (e.g. the pricing endpoint's [{line, field, message}]). */
      body?: unknown;
    },
  ) {
    super(message);
  }
}

/** SparkLayer refused the credentials, or a fresh token was refused too. */
export class SparkLayerAuthError extends SparkLayerApiError {
  override name = 'SparkLayerAuthError';
}

/** No answer at all (connection reset, timeout, DNS), after every retry. */
export class SparkLayerNetworkError extends Error {
  override name = 'SparkLayerNetworkError';
}

/** A 2xx answer whose body is not what SparkLayer documents. */
export class SparkLayerResponseError extends Error {
  override name = 'SparkLayerResponseError';
}

export function describeProblem(problem: ProblemDetails | undefined): string {
  if (!problem) return '';
  const fields = (problem.errors ?? [])
    .map((e) => [e.property, e.message ?? e.code].filter(Boolean).join(': '))
    .filter(Boolean);
  return [problem.title, problem.detail, fields.length > 0 ? `fields: ${fields.join('; ')}` : undefined]
    .filter(Boolean)
    .join(' - ');
}

/**
 * The one base of every connector client's errors (connectors/<system>/dev/errors.ts). A client's own classes
 * (SparkLayerApiError, NetSuiteNetworkError, LightspeedRAuthError…) extend it, so code that talks to any vendor can
 * catch `ApiError` and read the same facts, and still tell systems and kinds apart with `instanceof`. Every text it
 * carries was redacted before the error was built (connectors/http/transport.ts does that for the errors it throws).
 */

/** `status`: the vendor answered with an error status; `network`: no answer at all; `response`: a 2xx not as
 * documented. */
export type ApiErrorKind = 'status' | 'network' | 'response';

export interface ApiErrorFacts {
  /** The request, as the messages name it (`GET /api/v1/purchases`); absent when no single request is to blame. */
  label?: string;
  /** The HTTP status, when the vendor answered. */
  status?: number;
  /** How many times the request was sent. */
  attempts?: number;
  /** What the error answer's body said (problem details, o:errorDetails, `no body`…), redacted. */
  summary?: string;
}

/** The details every error answer carries, whatever the system; each client's details extend them. */
export interface ApiErrorDetails {
  method: string;
  /** The path as the messages show it (query included where the client shows one). */
  path: string;
  status: number;
  attempts: number;
}

export class ApiError extends Error {
  override name = 'ApiError';
  readonly label: string | undefined;
  readonly status: number | undefined;
  readonly attempts: number | undefined;
  readonly summary: string | undefined;

  constructor(
    /** The pack's key for the system: `sparklayer`, `netsuite`, `lightspeed-x`, `lightspeed-r`. */
    readonly system: string,
    readonly kind: ApiErrorKind,
    message: string,
    facts: ApiErrorFacts = {},
  ) {
    super(message);
    this.label = facts.label;
    this.status = facts.status;
    this.attempts = facts.attempts;
    this.summary = facts.summary;
  }
}

/** The facts of an error answer, from its details. */
export function statusFacts(details: ApiErrorDetails, summary?: string): ApiErrorFacts {
  return { label: `${details.method} ${details.path}`, status: details.status, attempts: details.attempts, summary };
}

/**
 * The bases of one system's errors, named `<prefix>ApiError`, `<prefix>NetworkError` and `<prefix>ResponseError`, so a
 * client's errors.ts declares only what is its own: the details its error answers carry, an auth error, extra facts.
 * Each client extends them (not re-exports them) so its classes stay classes its callers catch with `instanceof`.
 */
export function apiErrorBases<Details extends ApiErrorDetails>(system: string, prefix: string) {
  /** The system answered with an error status. */
  class StatusError extends ApiError {
    override name = `${prefix}ApiError`;
    constructor(
      message: string,
      readonly details: Details,
      summary?: string,
    ) {
      super(system, 'status', message, statusFacts(details, summary));
    }
  }
  /** No answer at all (connection reset, timeout, DNS), after every retry. */
  class NetworkError extends ApiError {
    override name = `${prefix}NetworkError`;
    constructor(message: string, facts?: ApiErrorFacts) {
      super(system, 'network', message, facts);
    }
  }
  /** A 2xx answer that is not what the system documents. */
  class ResponseError extends ApiError {
    override name = `${prefix}ResponseError`;
    constructor(message: string, facts?: ApiErrorFacts) {
      super(system, 'response', message, facts);
    }
  }
  return { StatusError, NetworkError, ResponseError };
}

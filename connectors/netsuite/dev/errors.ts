/**
 * What goes wrong talking to NetSuite, as typed errors whose messages are safe to log. An error answer carries
 * NetSuite's REST error body: type, title, status and o:errorDetails[{detail, o:errorCode, o:errorPath, ...}]
 * (Error Handling in REST Web Services, https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_156570709583.html).
 */
import { apiErrorBases, type ApiErrorDetails } from '../../http/api-error.js';
import type { ErrorDetail } from '../schemas.js';

const bases = apiErrorBases<NetSuiteErrorDetails>('netsuite', 'NetSuite');

/** `path` is the path under the base URL, query included. */
export interface NetSuiteErrorDetails extends ApiErrorDetails {
  type?: string;
  title?: string;
  /** NetSuite's o:errorDetails, as sent (secrets redacted). */
  errorDetails: ErrorDetail[];
  /** The body when it was not NetSuite's error body. */
  body?: unknown;
}

/** NetSuite answered with an error status. */
export class NetSuiteApiError extends bases.StatusError {
  /** The o:errorCode values, e.g. ['USER_ERROR']. */
  get errorCodes(): string[] {
    return this.details.errorDetails.flatMap((detail) =>
      detail['o:errorCode'] === undefined ? [] : [detail['o:errorCode']],
    );
  }
}

/** NetSuite refused the token-based-authentication credentials or the signature (401, or 403 on auth). */
export class NetSuiteAuthError extends NetSuiteApiError {
  override name = 'NetSuiteAuthError';
}

/** No answer at all (connection reset, timeout, DNS), after every retry. */
export class NetSuiteNetworkError extends bases.NetworkError {}

/** A 2xx answer that is not what NetSuite documents. */
export class NetSuiteResponseError extends bases.ResponseError {}

/** `detail (o:errorCode at o:errorPath)` for each entry, joined; empty when there are none. */
export function describeErrorDetails(details: readonly ErrorDetail[]): string {
  return details
    .map((detail) => {
      const where = [detail['o:errorCode'], detail['o:errorPath'] && `at ${detail['o:errorPath']}`]
        .filter(Boolean)
        .join(' ');
      return where ? `${detail.detail} (${where})` : detail.detail;
    })
    .join('; ');
}

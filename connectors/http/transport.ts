/**
 * The one request loop of every connector client (connectors/<system>/dev/client.ts): it sends through axios, waits
 * and sends again as the rules below say, paces through the client's rate limiter when it has one, parses a 2xx body
 * with the endpoint's zod schema, and throws the client's own errors (all extending ApiError, api-error.ts) with every
 * secret redacted from every message and log line. What stays in a client is what differs by vendor: its URLs, how it
 * authorises a request, what its error bodies mean, its rate limiter, its paging.
 *
 * The rules (the arithmetic is in retry.ts):
 * - no answer at all (reset, timeout, DNS): sent again when the request is repeatable; otherwise it fails with the
 *   client's note that the write may have been applied (a POST create must not be repeated blindly);
 * - 429: refused before any work, so sent again whatever the method. A client with a rate limiter leaves the 429 to
 *   it: the limiter decides the wait and holds every request back for it. Otherwise the transport waits the
 *   Retry-After (delay-seconds or an HTTP date), and fails instead when that is longer than it ever waits;
 * - 5xx: sent again only when the request is repeatable (a read, an upsert), else it fails with the note. After the
 * Retry-After when the answer has one, unless the client reads it on 429s only (`retryAfter: '429-only'`); else
 * backoff;
 * - statuses a request names itself (SparkLayer's concurrent-update 409): like a repeatable 5xx;
 * - 401: the client renews its credentials once per request (when it can), and that try is not counted;
 * - anything else: fails at once.
 * A request may bring its own rule instead (a token endpoint's): `retry` and `refused`.
 * Every wait goes through the client's injected sleep, so tests and benchmarks run on virtual time.
 */
import axios, { AxiosHeaders, type AxiosAdapter, type AxiosInstance, type Method } from 'axios';
import * as z from 'zod';
import type { ApiError, ApiErrorDetails, ApiErrorFacts } from './api-error.js';
import type { ClientTiming } from './client-options.js';
import { backoffDelay, parseRetryAfter } from './retry.js';

export interface TransportRequest<T> {
  method: Method;
  /** Absolute, or under the transport's `baseURL`. */
  url: string;
  /** Query parameters for axios to encode; a client may put the query in `url` itself instead. */
  params?: Record<string, string | number>;
  /** How messages name the request: `GET /api/v1/purchases`. */
  label: string;
  /** Sent as JSON. */
  body?: unknown;
  /** Or sent as this form-encoded text. */
  form?: string;
  headers?: Record<string, string>;
  /** Parses a 2xx body; without one the body is not read (a 204). */
  schema?: z.ZodType<T>;
  /** Whether a 5xx or a lost answer may be answered by sending the request again. */
  repeatable: boolean;
  /** Statuses sent again besides 429 and 5xx. */
  retryStatuses?: readonly number[];
  /** A 404 is an answer (undefined), not an error. */
  notFoundIsEmpty?: boolean;
  /** Sent without credentials and outside the rate limiter (a token request). */
  anonymous?: boolean;
  /** This request's own rule for an error status: how long to wait before sending again, undefined to stop. */
  retry?: (status: number, headers: AxiosHeaders, backoff: () => number) => number | undefined;
  /** This request's own error for an error status not sent again; undefined for the client's usual one. */
  refused?: (answer: ErrorAnswer) => Error | undefined;
  /** The message when no answer came (redacted by the transport); `no answer from <vendor> (reason) - note` otherwise.
   */
  noAnswer?: (reason: string, attempts: number) => string;
  /** How the shape error names the answer (`the token answer`); the client's `answerName` otherwise. */
  answerName?: string;
}

export interface Answer<T> {
  status: number;
  headers: AxiosHeaders;
  data: T;
  /** How many times the request was sent (renewals after a 401 and uncounted refusals aside). */
  attempts: number;
}

/** An error answer, for a request's own `refused` rule. */
export interface ErrorAnswer {
  status: number;
  /** The body, read as JSON when it is JSON; undefined when empty. */
  body: unknown;
  attempts: number;
  /** The client's usual message, details and summary for this answer (redacted), with a note. */
  describe(note?: string): { message: string; details: ApiErrorDetails; summary: string };
}

export interface Credentials<C = unknown> {
  /** The headers that authorise one attempt (a bearer token, an OAuth 1 signature), and the credential they carry. */
  authorize(request: TransportRequest<unknown>): Promise<{ headers: Record<string, string>; credential?: C }>;
  /** After a 401: renews the credential, once per request. Without it a 401 is final. */
  renew?(credential: C | undefined, label: string): Promise<void>;
}

/** A 429, for the rate limiter to judge. */
export interface Refusal {
  label: string;
  headers: AxiosHeaders;
  /** The attempt refused (uncounted refusals aside). */
  attempt: number;
  /** 429s this request has met so far, this one included. */
  refusals: number;
  /** The backoff for this attempt, when the answer names no wait. */
  backoff: () => number;
}

export type RefusalVerdict =
  /** Send again once the limiter lets the request go; `log` is the line to log (redacted by the transport). */
  | { retry: true; counted: boolean; log: string }
  /** Fail; the note (and any details) go into the error. */
  | { retry: false; note?: string; details?: Record<string, unknown> };

/**
 * Keeps a client under its vendor's rate limit (window-budget.ts, leaky-bucket.ts, plugged in by the client). Every
 * ticket acquired is handed back exactly once: lost, answered or refused.
 */
export interface RateLimiter<Ticket = unknown> {
  /** Waits until the request may be sent, and reserves its share of the limit. */
  acquire(request: TransportRequest<unknown>): Promise<Ticket>;
  /** No answer came (the request may have reached the server). */
  lost(ticket: Ticket): void;
  /** Any answer but a 429. */
  answered(ticket: Ticket, headers: AxiosHeaders): void;
  /** A 429: hold requests back as long as the server asks, and say whether to send this one again. */
  refused(ticket: Ticket, refusal: Refusal): RefusalVerdict;
}

export interface TransportOptions<D extends ApiErrorDetails> {
  /** How messages name the vendor: `no answer from NetSuite`, `SparkLayer asked to wait`. */
  vendor: string;
  /** How the shape error names an answer: `NetSuite's answer`. */
  answerName: string;
  timing: ClientTiming;
  /** Sent with every request, besides the User-Agent and Accept: application/json. */
  headers?: Record<string, string>;
  baseURL?: string;
  timeoutMs: number;
  /** Another transport than the network: an axios adapter, or a fetch (the in-process fakes). */
  adapter?: AxiosAdapter;
  fetch?: (input: string | URL | Request, init?: RequestInit) => Promise<Response>;
  redact: (text: string) => string;
  /** What an error answer's body says: its summary (and advice) for the message, and the client's fields of its
   * details. */
  describe(
    status: number,
    body: unknown,
    request: TransportRequest<unknown>,
  ): { summary: string; advice?: string; details: Omit<D, keyof ApiErrorDetails> };
  /** The client's own error classes (connectors/<system>/dev/errors.ts). */
  errors: {
    /** An error answer, and one that is the credentials' fault (`isAuthFailure`). */
    api: new (message: string, details: D, summary?: string) => ApiError;
    auth: new (message: string, details: D, summary?: string) => ApiError;
    network: new (message: string, facts?: ApiErrorFacts) => ApiError;
    response: new (message: string, facts?: ApiErrorFacts) => ApiError;
  };
  /** Which error answers are the credentials' fault (default: 401 and 403). */
  isAuthFailure?: (status: number, request: TransportRequest<unknown>) => boolean;
  /** Why an unrepeatable request was not sent again after a 5xx or a lost answer (default: `not repeated: it may have
   * been applied; check before sending again`). */
  unrepeatableNote?: string;
  credentials?: Credentials;
  limiter?: RateLimiter;
  /** Whether a Retry-After is honoured on every status sent again (default), or on 429s only. */
  retryAfter?: 'every-retry' | '429-only';
}

export class Transport<D extends ApiErrorDetails = ApiErrorDetails> {
  private readonly http: AxiosInstance;
  private readonly unrepeatableNote: string;

  constructor(private readonly options: TransportOptions<D>) {
    this.unrepeatableNote =
      options.unrepeatableNote ?? 'not repeated: it may have been applied; check before sending again';
    this.http = axios.create({
      baseURL: options.baseURL,
      timeout: options.timeoutMs,
      headers: { 'User-Agent': options.timing.userAgent, Accept: 'application/json', ...options.headers },
      // Every status comes back as a response: the transport decides what is an error.
      validateStatus: () => true,
      // Bodies go out exactly as serialised here (a signed request must not change) and come back as text, read once.
      transformRequest: [(data: unknown) => data],
      responseType: 'text',
      transformResponse: [(data: unknown) => data],
      ...(options.adapter
        ? { adapter: options.adapter }
        : options.fetch
          ? { adapter: 'fetch' as const, env: { fetch: options.fetch } }
          : {}),
    });
  }

  request<T>(request: TransportRequest<T> & { notFoundIsEmpty: boolean }): Promise<Answer<T> | undefined>;
  request<T>(request: TransportRequest<T>): Promise<Answer<T>>;
  async request<T>(request: TransportRequest<T>): Promise<Answer<T> | undefined> {
    const { timing, credentials } = this.options;
    const { policy } = timing;
    const limiter = request.anonymous ? undefined : this.options.limiter;
    const data = request.form ?? (request.body === undefined ? undefined : JSON.stringify(request.body));
    let renewed = false;
    let refusals = 0;

    for (let attempt = 1; ; attempt += 1) {
      const backoff = () => backoffDelay(attempt - 1, policy, timing.random);
      const authorised = request.anonymous || !credentials ? undefined : await credentials.authorize(request);
      const headers: Record<string, string> = { ...request.headers, ...authorised?.headers };
      if (data !== undefined)
        headers['Content-Type'] = request.form === undefined ? 'application/json' : 'application/x-www-form-urlencoded';
      const ticket = limiter ? await limiter.acquire(request) : undefined;

      let response;
      try {
        response = await this.http.request({
          method: request.method,
          url: request.url,
          params: request.params,
          data,
          headers,
        });
      } catch (error) {
        limiter?.lost(ticket);
        const reason = networkReason(error);
        if (request.repeatable && attempt <= policy.maxRetries) {
          await this.wait(request.label, attempt, backoff(), reason);
          continue;
        }
        const note = request.repeatable ? `after ${attempt} attempts` : this.unrepeatableNote;
        const message =
          request.noAnswer?.(reason, attempt) ??
          `${request.label}: no answer from ${this.options.vendor} (${reason}) - ${note}`;
        throw new this.options.errors.network(this.redact(message), {
          label: this.redact(request.label),
          attempts: attempt,
        });
      }

      const { status } = response;
      const answerHeaders = AxiosHeaders.from(response.headers as Record<string, string>);
      if (status === 429 && limiter) {
        refusals += 1;
        const verdict = limiter.refused(ticket, {
          label: request.label,
          headers: answerHeaders,
          attempt,
          refusals,
          backoff,
        });
        if (!verdict.retry)
          throw this.statusError(request, status, response.data, attempt, verdict.note, verdict.details);
        timing.log(this.redact(verdict.log));
        if (!verdict.counted) attempt -= 1;
        continue;
      }
      limiter?.answered(ticket, answerHeaders);

      if (status >= 200 && status < 300)
        return { status, headers: answerHeaders, data: this.parse(request, response.data), attempts: attempt };
      if (status === 404 && request.notFoundIsEmpty) return undefined;
      if (status === 401 && authorised && credentials?.renew && !renewed) {
        // The credential may have been revoked or expired early: one new one, one more try.
        renewed = true;
        attempt -= 1;
        await credentials.renew(authorised.credential, request.label);
        continue;
      }
      const delay =
        attempt <= policy.maxRetries
          ? this.retryDelay(request, status, answerHeaders, response.data, attempt, backoff)
          : undefined;
      if (delay !== undefined) {
        await this.wait(request.label, attempt, delay, `HTTP ${status}`);
        continue;
      }
      const body = decode(response.data);
      const refused = request.refused?.({
        status,
        body,
        attempts: attempt,
        describe: (note) => this.describeAnswer(request, status, body, attempt, note),
      });
      if (refused) throw refused;
      throw this.statusError(
        request,
        status,
        response.data,
        attempt,
        status >= 500 && !request.repeatable ? this.unrepeatableNote : undefined,
      );
    }
  }

  /** The wait before sending again after this error status; undefined when it is not sent again. */
  private retryDelay(
    request: TransportRequest<unknown>,
    status: number,
    headers: AxiosHeaders,
    data: unknown,
    attempt: number,
    backoff: () => number,
  ): number | undefined {
    if (request.retry) return request.retry(status, headers, backoff);
    const again =
      status === 429 || (status >= 500 && request.repeatable) || (request.retryStatuses?.includes(status) ?? false);
    if (!again) return undefined;
    if (status !== 429 && this.options.retryAfter === '429-only') return backoff();
    const { policy, now } = this.options.timing;
    const asked = parseRetryAfter(header(headers, 'retry-after'), now());
    if (asked !== undefined && asked > policy.maxDelayMs) {
      const note =
        `${this.options.vendor} asked to wait ${Math.ceil(asked / 1000)} s, longer than the ` +
        `${policy.maxDelayMs / 1000} s this client waits`;
      throw this.statusError(request, status, data, attempt, note);
    }
    return asked ?? backoff();
  }

  private async wait(label: string, attempt: number, delayMs: number, reason: string): Promise<void> {
    const { timing } = this.options;
    timing.log(this.redact(`${label}: ${reason}; retry ${attempt} of ${timing.policy.maxRetries} in ${delayMs} ms`));
    await timing.sleep(delayMs);
  }

  private parse<T>(request: TransportRequest<T>, data: unknown): T {
    if (request.schema === undefined) return undefined as T;
    const parsed = request.schema.safeParse(decode(data));
    if (parsed.success) return parsed.data;
    const answer = request.answerName ?? this.options.answerName;
    const message = this.redact(
      `${request.label}: ${answer} does not have the documented shape: ${z.prettifyError(parsed.error)}`,
    );
    throw new this.options.errors.response(message, { label: this.redact(request.label) });
  }

  private statusError(
    request: TransportRequest<unknown>,
    status: number,
    data: unknown,
    attempts: number,
    note?: string,
    extra?: Record<string, unknown>,
  ): ApiError {
    const { message, details, summary } = this.describeAnswer(request, status, decode(data), attempts, note, extra);
    const auth = this.options.isAuthFailure?.(status, request) ?? (status === 401 || status === 403);
    return new (auth ? this.options.errors.auth : this.options.errors.api)(message, details, summary);
  }

  private describeAnswer(
    request: TransportRequest<unknown>,
    status: number,
    body: unknown,
    attempts: number,
    note?: string,
    extra?: Record<string, unknown>,
  ) {
    const described = this.options.describe(status, body, request);
    const parts = [
      `${request.label} failed: HTTP ${status}`,
      described.summary,
      described.advice,
      note,
      attempts > 1 ? `after ${attempts} attempts` : undefined,
    ];
    const message = this.redact(parts.filter(Boolean).join(' - '));
    const details = {
      method: request.method,
      path: request.label.slice(request.method.length + 1),
      status,
      attempts,
      ...described.details,
      ...extra,
    } as D;
    return { message, details, summary: this.redact(described.summary) };
  }

  private redact(text: string): string {
    return this.options.redact(text);
  }
}

/** Credentials that are a bearer token; `renew` (after a 401) gets the token that was refused. */
export function bearer(
  token: () => Promise<string>,
  renew?: (refused: string, label: string) => Promise<unknown>,
): Credentials<string> {
  return {
    authorize: async () => {
      const value = await token();
      return { headers: { Authorization: `Bearer ${value}` }, credential: value };
    },
    renew: renew && (async (refused, label) => void (await renew(refused!, label))),
  };
}

/** A header's value as text; undefined when absent. */
export function header(headers: AxiosHeaders, name: string): string | undefined {
  const value = headers.get(name);
  return typeof value === 'string' ? value : value === null || value === undefined ? undefined : String(value);
}

/** An answer's body, read as JSON when it is JSON; undefined when empty. */
function decode(data: unknown): unknown {
  if (typeof data !== 'string') return data;
  if (data.trim() === '') return undefined;
  try {
    return JSON.parse(data);
  } catch {
    return data;
  }
}

/** Why no answer came. The axios error holds the request headers (the credentials), so only its code and message travel
 * on. */
function networkReason(error: unknown): string {
  return axios.isAxiosError(error) ? [error.code, error.message].filter(Boolean).join(' ') : String(error);
}

/**
 * The NetSuite REST web services client: token-based authentication (OAuth 1.0a, HMAC-SHA256, a fresh nonce and
 * timestamp on every attempt), the retry discipline every connector in the pack shares (connectors/http), complete
 * SuiteQL paging, and typed errors that carry NetSuite's o:errorDetails with every secret redacted.
 *
 * Retries: 429 is what NetSuite answers when the account's concurrency limit is reached
 * (https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/subsect_1559222360.html,
 * https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_0827103226.html): it is refused before any
 * work, so it is retried for every method, waiting out Retry-After when NetSuite sends one. 5xx and dropped
 * connections are retried only where repeating the request is harmless: reads, SuiteQL, and PUT by external ID
 * (an upsert: https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_156335203191.html). A POST
 * create that fails with a 5xx may have created the record, so it is not repeated; it fails saying so. A 401 is
 * final: TBA tokens do not expire, so a refusal means the credentials, the realm or the clock are wrong.
 */
import type { Method } from 'axios';
import type * as z from 'zod';
import type { ApiErrorDetails } from '../../http/api-error.js';
import { Redactor } from '../../http/redact.js';
import { clientTiming, type ClientTimingOptions } from '../../http/client-options.js';
import { header, Transport, type Answer } from '../../http/transport.js';
import type { NetSuiteConfig } from './config.js';
import {
  describeErrorDetails,
  NetSuiteApiError,
  NetSuiteAuthError,
  NetSuiteNetworkError,
  NetSuiteResponseError,
  type NetSuiteErrorDetails,
} from './errors.js';
import { generateNonce, percentEncode, signRequest } from '../../http/oauth1.js';
import {
  customerSchema,
  EXTERNAL_ID,
  errorEnvelopeSchema,
  salesOrderSchema,
  suiteQLPageSchema,
  type Customer,
  type CustomerBody,
  type ErrorDetail,
  type SalesOrder,
  type SalesOrderBody,
  type SuiteQLRow,
} from '../schemas.js';
import { isJsonObject } from '../../../runtime/json-object.js';

/** SuiteQL's largest page, and the most rows one query returns (https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_156414087576.html). */
export const SUITEQL_MAX_LIMIT = 1000;
export const SUITEQL_MAX_ROWS = 100_000;

export { EXTERNAL_ID };

export interface NetSuiteClientOptions extends ClientTimingOptions {
  timeoutMs?: number;
  /** Guard against a server that keeps answering hasMore. */
  maxPages?: number;
  nonce?: () => string;
}

/** Where a created or upserted record lives, from the Location header of NetSuite's 204. */
export interface WriteResult {
  location?: string;
  /** The internal ID: the Location's last path segment. */
  id?: string;
}

interface RequestSpec<T> {
  method: Method;
  /** Under the base URL, without the query. */
  path: string;
  query?: Record<string, string | number>;
  headers?: Record<string, string>;
  body?: unknown;
  /** Parses a 2xx body; undefined for bodiless answers (204). */
  schema?: z.ZodType<T>;
  /** Whether a 5xx or a dropped connection may be answered by sending the request again. */
  repeatable: boolean;
}

export class NetSuiteClient {
  private readonly transport: Transport<NetSuiteErrorDetails>;
  private readonly redactor = new Redactor();
  private readonly now: () => number;
  private readonly nonce: () => string;
  private readonly maxPages: number;

  constructor(
    private readonly config: NetSuiteConfig,
    options: NetSuiteClientOptions = {},
  ) {
    const timing = clientTiming(options);
    this.now = timing.now;
    this.nonce = options.nonce ?? generateNonce;
    this.maxPages = options.maxPages ?? SUITEQL_MAX_ROWS / SUITEQL_MAX_LIMIT + 1;
    // The four credentials are all redacted: the key and token ID are half of each pair.
    for (const secret of [config.consumerSecret, config.tokenSecret, config.consumerKey, config.tokenId])
      this.redactor.add(secret);
    this.transport = new Transport({
      vendor: 'NetSuite',
      answerName: "NetSuite's answer",
      timing,
      timeoutMs: options.timeoutMs ?? 60_000,
      redact: (text) => this.redact(text),
      describe: (_status, body) => this.describe(body),
      errors: {
        api: NetSuiteApiError,
        auth: NetSuiteAuthError,
        network: NetSuiteNetworkError,
        response: NetSuiteResponseError,
      },
      unrepeatableNote: 'not repeated: the record may have been created; check before sending again',
      // No renewal: TBA tokens do not expire, so a 401 is final.
      credentials: {
        // A fresh nonce and timestamp each attempt: NetSuite refuses a nonce it has seen.
        authorize: async (request) => {
          const signed = signRequest({
            method: request.method,
            url: request.url,
            realm: this.config.realm,
            credentials: this.config,
            nonce: this.nonce(),
            timestamp: Math.floor(this.now() / 1000),
          });
          return { headers: { Authorization: signed.authorization } };
        },
      },
    });
  }

  // Sales orders ----------------------------------------------------------------------------------------

  /**
   * Creates the sales order, or updates the one with this external ID: PUT …/salesOrder/eid:<id>. Sending the
   * same order again (a Patchworks retry, a re-run) updates it instead of creating a second one. `replace`
   * names the sublists whose lines the request replaces; without it NetSuite appends a non-keyed sublist's lines
   * to those already there (https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_1545295601.html).
   */
  async upsertSalesOrder(externalId: string, body: SalesOrderBody): Promise<WriteResult> {
    const replace = ['item', ...(body.taxDetails === undefined ? [] : ['taxDetails'])].join(',');
    return this.write({
      method: 'PUT',
      path: `/record/v1/salesOrder/eid:${checkedExternalId(externalId)}`,
      query: { replace },
      body: { ...body, externalId },
      repeatable: true,
    });
  }

  getSalesOrder(id: string, options: { expandSubResources?: boolean } = {}): Promise<SalesOrder> {
    return this.read(`/record/v1/salesOrder/${encodeURIComponent(id)}`, salesOrderSchema, options);
  }

  async getSalesOrderByExternalId(
    externalId: string,
    options: { expandSubResources?: boolean } = {},
  ): Promise<SalesOrder> {
    return this.read(`/record/v1/salesOrder/eid:${checkedExternalId(externalId)}`, salesOrderSchema, options);
  }

  // Customers -------------------------------------------------------------------------------------------

  getCustomer(id: string): Promise<Customer> {
    return this.read(`/record/v1/customer/${encodeURIComponent(id)}`, customerSchema);
  }

  /** The customer with this external ID, or undefined when NetSuite has none (404). */
  async findCustomerByExternalId(externalId: string): Promise<Customer | undefined> {
    try {
      return await this.read(`/record/v1/customer/eid:${checkedExternalId(externalId)}`, customerSchema);
    } catch (error) {
      if (error instanceof NetSuiteApiError && error.details.status === 404) return undefined;
      throw error;
    }
  }

  /**
   * POST …/customer. Not repeated after a 5xx or a dropped connection (the customer may exist by then); give it an
   * externalId and use findCustomerByExternalId to check before sending again.
   */
  createCustomer(body: CustomerBody): Promise<WriteResult> {
    return this.write({ method: 'POST', path: '/record/v1/customer', body, repeatable: false });
  }

  // SuiteQL ---------------------------------------------------------------------------------------------

  /** Every page of a query, in order: limit/offset until hasMore is false. */
  async *suiteqlPages(query: string, limit = SUITEQL_MAX_LIMIT): AsyncGenerator<SuiteQLRow[]> {
    if (!Number.isInteger(limit) || limit < 1 || limit > SUITEQL_MAX_LIMIT) {
      throw new RangeError(`SuiteQL page limit must be 1 to ${SUITEQL_MAX_LIMIT}, not ${limit}`);
    }
    let offset = 0;
    for (let page = 0; page < this.maxPages; page += 1) {
      const answer = await this.send({
        method: 'POST',
        path: '/query/v1/suiteql',
        query: { limit, offset },
        // Run the query without keeping it (https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_157909186990.html).
        headers: { Prefer: 'transient' },
        body: { q: query },
        schema: suiteQLPageSchema,
        repeatable: true,
      });
      const { items, hasMore } = answer.data;
      yield items;
      if (!hasMore) return;
      if (items.length === 0)
        throw new NetSuiteResponseError('POST /query/v1/suiteql: an empty page that says hasMore; stopping');
      offset += items.length;
    }
    throw new NetSuiteResponseError(`POST /query/v1/suiteql: still hasMore after ${this.maxPages} pages; stopping`);
  }

  /** Every row of a query, all pages. */
  async suiteql(query: string, limit = SUITEQL_MAX_LIMIT): Promise<SuiteQLRow[]> {
    const rows: SuiteQLRow[] = [];
    for await (const page of this.suiteqlPages(query, limit)) rows.push(...page);
    return rows;
  }

  // Transport -------------------------------------------------------------------------------------------

  private async read<T>(
    path: string,
    schema: z.ZodType<T>,
    options: { expandSubResources?: boolean } = {},
  ): Promise<T> {
    const query = options.expandSubResources ? { expandSubResources: 'true' } : undefined;
    return (await this.send({ method: 'GET', path, query, schema, repeatable: true })).data;
  }

  private async write(spec: Omit<RequestSpec<undefined>, 'schema'>): Promise<WriteResult> {
    const { headers } = await this.send<undefined>(spec);
    const location = header(headers, 'location');
    const id =
      location === undefined
        ? undefined
        : decodeURIComponent(new URL(location, this.config.baseUrl).pathname.split('/').pop() ?? '');
    return { location, id: id || undefined };
  }

  private send<T>(spec: RequestSpec<T>): Promise<Answer<T>> {
    const queryString = Object.entries(spec.query ?? {})
      .map(([name, value]) => `${percentEncode(name)}=${percentEncode(String(value))}`)
      .join('&');
    const url = `${this.config.baseUrl}${spec.path}${queryString ? `?${queryString}` : ''}`;
    const label = `${spec.method} ${spec.path}${queryString ? `?${queryString}` : ''}`;
    return this.transport.request({
      method: spec.method,
      url,
      label,
      headers: spec.headers,
      body: spec.body,
      schema: spec.schema,
      repeatable: spec.repeatable,
    });
  }

  /** An error answer: NetSuite's error body ({type, title, o:errorDetails}) when it sent one, else the body as it came.
   */
  private describe(body: unknown): { summary: string; details: Omit<NetSuiteErrorDetails, keyof ApiErrorDetails> } {
    const envelope = isJsonObject(body) ? errorEnvelopeSchema.safeParse(body).data : undefined;
    const isEnvelope =
      envelope !== undefined && (envelope['o:errorDetails'] !== undefined || envelope.title !== undefined);
    const errorDetails: ErrorDetail[] = (envelope?.['o:errorDetails'] ?? []).map(
      (detail) => JSON.parse(this.redact(JSON.stringify(detail))) as ErrorDetail,
    );
    const summary = isEnvelope
      ? [envelope.title, describeErrorDetails(errorDetails)].filter(Boolean).join(' - ')
      : body === undefined || body === null
        ? 'no body'
        : JSON.stringify(body).slice(0, 300);
    return {
      summary,
      details: {
        type: isEnvelope ? envelope.type : undefined,
        title: isEnvelope ? envelope.title : undefined,
        errorDetails,
        body: isEnvelope || body === undefined ? undefined : JSON.parse(this.redact(JSON.stringify(body ?? null))),
      },
    };
  }

  private redact(text: string): string {
    return this.redactor
      .redact(text)
      .replace(/(oauth_(?:signature|token|consumer_key|nonce)\s*=\s*)"?[^",\s]*"?/gi, '$1[redacted]');
  }
}

function checkedExternalId(externalId: string): string {
  if (!EXTERNAL_ID.test(externalId)) {
    throw new RangeError(
      `NetSuite external IDs are letters, digits, _ and -; ${JSON.stringify(externalId)} is not one`,
    );
  }
  return externalId;
}

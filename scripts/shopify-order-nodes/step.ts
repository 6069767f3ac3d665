/**
 * shopify-order-nodes: the Shopify orders or draft orders a page of the pack's GraphQL query returned
 * (connectors/shopify/graphql-queries.ts, `data.orders.nodes` or `data.draftOrders.nodes`), as the records of the
 * Shopify-source order flow (issue 36). Each order SparkLayer's checkout booked (it carries the `sparkCartId` note
 * attribute) continues whole, with what an order flow keys and labels a SparkLayer purchase by added beside its
 * Shopify fields: `purchase_identifiers.sparklayer` (the cart id: the SparkLayer purchase id, so that the flow's
 * de-dupe pool, order queue and back-end external id are the same whichever source saw the order), `.visible` (its
 * Shopify name) and `customer_identifiers.platform` (its Shopify customer id, numeric, by which the flow reads its
 * SparkLayer customer: lookupBy platform). order-reader.ts ignores the added keys. An order without sparkCartId was
 * not booked by SparkLayer (a retail order on the same store): left out, and counted (`not_sparklayer`).
 *
 * A GraphQL error answer (`errors`, no `data`: THROTTLED among them,
 * https://shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits) fails the whole payload, naming each code:
 * the run stops before anything is booked or the watermark moves, and the next run reads the same orders again.
 * Each page is its own payload: the endpoint's pagination script (connectors/shopify/order-pages.ts) reads every page
 * in the run, so no order changed since the last run is left behind the watermark.
 */
import * as z from 'zod';
import { legacyId } from '../../connectors/shopify/order-reader.js';
import { sparkCartId } from '../../connectors/shopify/order-format.js';
import { nonBlank } from '../../connectors/sparklayer/purchase.js';
import { StepError } from '../../runtime/step-error.js';
import { defineStep, passMany, type ExceptionCode } from '../../runtime/step.js';

const KEY = 'shopify-order-nodes';
const CODES = {} as const satisfies Record<string, ExceptionCode>;

/** A page of one of the pack's queries: `data.orders` or `data.draftOrders`, its nodes. */
const pageSchema = z.looseObject({
  nodes: z.array(z.unknown(), { error: "missing; the pack's query selects nodes" }),
});
/**
 * One GraphQL answer: a page of one of the pack's queries, or Shopify's GraphQL errors (no data), which the rule
 * turns into a whole-payload failure. Anything else is an exception of its own (INVALID_RECORD), never a throw.
 */
const answerSchema = z.union(
  [
    z.looseObject({ errors: z.unknown().refine((errors) => errors !== undefined && errors !== null) }),
    z.looseObject({ data: z.looseObject({ orders: pageSchema }) }),
    z.looseObject({ data: z.looseObject({ draftOrders: pageSchema }) }),
  ],
  {
    error:
      "not an answer to one of the pack's Shopify queries: expected data.orders.nodes or data.draftOrders.nodes " +
      '(connectors/shopify/graphql-queries.ts)',
  },
);

type Json = Record<string, unknown>;

/**
 * The page's nodes; Shopify's GraphQL errors (THROTTLED among them) throw: the answer is the read failing, as a
 * failed connection is, not a bad record, so the run stops before anything is booked or the watermark moves.
 */
function pageOf(answer: Json): unknown[] {
  if ('errors' in answer && answer.errors !== undefined && answer.errors !== null) {
    const list = Array.isArray(answer.errors) ? answer.errors : [answer.errors];
    const described = list.map((error) => {
      const { message, extensions } = (error ?? {}) as { message?: unknown; extensions?: { code?: unknown } };
      const code = typeof extensions?.code === 'string' ? `${extensions.code}: ` : '';
      return `${code}${typeof message === 'string' ? message : JSON.stringify(error)}`;
    });
    throw new StepError(
      KEY,
      `Shopify answered with errors (${described.join('; ')}); nothing is read this run, the next run reads these ` +
        'orders again. THROTTLED: the store was over its query-cost limit; anything else: check the query pasted ' +
        "into the custom GraphQL endpoint is the pack's (connectors/shopify/graphql-queries.ts).",
    );
  }
  const data = answer.data as Json;
  const page = (data.orders ?? data.draftOrders) as z.infer<typeof pageSchema>;
  return page.nodes;
}

/** The node with what the order flow keys it by, or undefined when SparkLayer did not book it. */
function tagged(node: unknown): Json | undefined {
  const cartId = sparkCartId('shopify_graphql', node);
  if (cartId === undefined) return undefined;
  const order = node as Json;
  const customer = (order.customer ?? null) as Json | null;
  const purchasing = (order.purchasingEntity ?? null) as Json | null;
  const platformCustomer = legacyId((customer?.id ?? purchasing?.id) as string | undefined);
  return {
    ...order,
    purchase_identifiers: { sparklayer: cartId, ...(nonBlank(order.name) ? { visible: nonBlank(order.name) } : {}) },
    ...(platformCustomer ? { customer_identifiers: { platform: platformCustomer } } : {}),
  };
}

export const step = defineStep({
  key: KEY,
  title: 'Shopify order nodes',
  purpose:
    "Turns one page of the pack's Shopify order or draft order query into the order flow's records: each order " +
    "SparkLayer's checkout booked, keyed by its SparkLayer purchase id; other orders are left out.",
  settings: {},
  exceptionCodes: CODES,
  record: { schema: answerSchema, id: () => null },
  rule: (answers) => {
    let notSparkLayer = 0;
    const outcomes = answers.map((answer) => {
      const orders = pageOf(answer as Json).map(tagged);
      notSparkLayer += orders.filter((order) => order === undefined).length;
      return passMany(orders.filter((order): order is Json => order !== undefined));
    });
    return { outcomes, counts: { not_sparklayer: notSparkLayer } };
  },
});

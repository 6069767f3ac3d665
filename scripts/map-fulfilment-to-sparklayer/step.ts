/**
 * map-fulfilment-to-sparklayer (pack-contract §5; issue 18, item 2): the back-end's shipments and returns, as the
 * pack's canonical fulfilments and returns (model/fulfilment.ts), become SparkLayer purchase updates: one package per
 * input record, for the purchase it belongs to. SparkLayer purchases ride beside the records as `purchases`.
 *
 * UNVERIFIED (what no source the pack holds confirms; ../shared/reference/sparklayer.md §6.3, §13, §18.2, §18.10,
 * §19): the "Send orders to SparkLayer" guide, https://docs.sparklayer.io/developers/api/purchasing/send-orders.md,
 * covers "packages for shipments, returns and cancellations, statuses" but its body was never read. So:
 * - the package `type` values written here (PACKAGE_TYPES: `shipment`, `return`, declared in
 *   connectors/sparklayer/packages.ts) are the pack's own: the docs show the field
 *   (https://docs.sparklayer.io/tech-docs/createupdate-purchase, "One Of: Incoming…") but not its enum;
 * - the back-end transaction id is written as the package's `identifiers.internal`: packages show `identifiers`
 *   (only `sparklayer_package_id` seen), and `internal` is the documented "your ERP/OMS ID" key of
 *   `purchase_identifiers` (§5), not a documented package key;
 * - the tracking number has no documented package field (the legacy example's `shipments[]` carry `carrier` and
 *   `carrier_id` only), so it rides on the update record (`tracking_number`), never inside the package;
 * - no package or line status is written: the status enums are unknown (§18.2);
 * - a line's `quantity` is in SparkLayer's unit as the pack's order steps read it (unit_map packs, §13/§18.10).
 *
 * Each record, in turn (all shipments first, then all returns, each in input order, so the same input always gives
 * the same verdicts):
 * - A record with `returned_at` is a return, else a fulfilment. One that cannot be read is INVALID_FULFILMENT /
 *   INVALID_RETURN naming the field. A fulfilment whose `status` is `picked` or `packed` has not left the warehouse:
 *   skipped (`status:<status>`); no status is a shipment (pack-contract §5 has none).
 * - Linking: by `purchase_id` to the purchase beside whose id (connectors/sparklayer/purchase.ts purchaseId) it is; a
 *   return with no `purchase_id` is linked through `original_transaction_id` to an earlier fulfilment (one in this
 *   payload, or a shipment package a purchase beside holds) of exactly one purchase. The model documents
 *   `original_transaction_id` as the original order transaction (NetSuite: the sales order), while pack-contract §5
 *   links it to a fulfilment: the link is made only where it names a fulfilment's `transaction_id`. Unlinked:
 *   UNLINKED_FULFILMENT / UNLINKED_RETURN, the record whole, never dropped. A purchase beside that cannot be read (a
 *   line with no SKU or quantity) is INVALID_ORDER for each record linked to it.
 * - Units: a canonical line is in the back-end's SKU and units (as stock levels are, model/stock.ts). It becomes the
 *   SparkLayer SKU the purchase ordered whose back-end SKU it is (unit_map, as map-stock-to-sparklayer reads it:
 *   SparkLayer SKU → back-end SKU*units per pack), in packs: quantity ÷ units, exact. Not whole packs is PART_PACK
 *   (never rounded); a back-end SKU behind two SKUs the purchase ordered (an each and a case) is AMBIGUOUS_PACK.
 * - Counting (model/fulfilment.ts purchaseProgress): what the purchase ordered is the line items of its packages other
 *   than shipment and return packages; what it already shipped and had returned is its shipment and return packages
 *   (each counted once by `identifiers.internal`, so a re-run of a transaction already written replaces it rather
 *   than counting it twice), plus the records of this payload accepted before this one. A shipment taking a SKU past
 *   what was ordered is OVER_FULFILLED; a return taking a SKU past what was shipped is OVER_RETURNED. Only the SKUs
 *   the record itself holds are judged.
 *
 * Output (one per record that passes): `{ purchase_id, lookup_by, transaction_id, kind, shipped_at | returned_at,
 * tracking_number?, original_transaction_id?, package }`. `lookup_by` and `purchase_id` are the path of SparkLayer's
 * `PUT /api/v1/purchases/{lookupBy}/{identifier}`; that PUT replaces the whole purchase (§6.1, §19), so the shape that
 * writes adds `package` to the purchase's `packages` (replacing the one with the same `identifiers.internal`) and
 * sends the purchase whole. This step does no I/O.
 *
 * Not done: refunds (`refund` is SparkLayer's transactions endpoint, §6.1, not a package); cancellations.
 */
import Big from 'big.js';
import * as z from 'zod';
import { nonBlank, purchaseId, purchaseLookup, type PurchaseIdKind } from '../../connectors/sparklayer/purchase.js';
import { PACKAGE_TYPES, readPackages } from '../../connectors/sparklayer/packages.js';
import { purchaseSchema } from '../../connectors/sparklayer/schemas.js';
import {
  FULFILMENT_STATUSES,
  purchaseProgress,
  type CanonicalReturn,
  type Fulfilment,
  type OrderedLine,
} from '../../model/fulfilment.js';
import { MoneyError, toDecimal, type Decimal } from '../../model/money.js';
import type { UnitConversion } from '../../model/units.js';
import { formatPath } from '../../runtime/envelope.js';
import { withoutNulls } from '../../runtime/nulls.js';
import { defineStep, fail, pass, skip, type ExceptionCode, type Outcome } from '../../runtime/step.js';
import { unitMapSetting } from '../order-settings.js';

const CODES = {
  INVALID_FULFILMENT: {
    owner: 'integration',
    action:
      'A fulfilment cannot be read (the message names the field: a missing purchase_id or transaction_id, a line ' +
      "without SKU or quantity…). Fix the flow that reads the back-end's fulfilments, then replay.",
  },
  INVALID_RETURN: {
    owner: 'integration',
    action:
      'A return cannot be read (the message names the field: a missing transaction_id, a line without SKU or ' +
      "quantity…). Fix the flow that reads the back-end's returns or credits, then replay.",
  },
  INVALID_ORDER: {
    owner: 'customer service',
    action:
      'The SparkLayer order a shipment or return belongs to cannot be read (the message names the field: a line ' +
      'without SKU or quantity…), so what it ordered and already shipped cannot be counted. Check the order in ' +
      'SparkLayer, then replay.',
  },
  UNLINKED_FULFILMENT: {
    owner: 'operations',
    action:
      'The shipment names no SparkLayer purchase among those fetched beside it (the message gives its purchase_id). ' +
      'Check the back-end order carries the SparkLayer purchase id and that the order exists in SparkLayer (or that ' +
      'the flow fetched it), then replay; SparkLayer is not told of the shipment until then.',
  },
  UNLINKED_RETURN: {
    owner: 'operations',
    action:
      'The return names no SparkLayer purchase among those fetched beside it, by purchase_id or through the ' +
      'fulfilment its original_transaction_id names. Find the order it came back from, set the SparkLayer purchase ' +
      'id on the back-end return, then replay.',
  },
  OVER_FULFILLED: {
    owner: 'operations',
    action:
      'The shipment, with what the purchase already shipped, ships more of a SKU than the order holds (the message ' +
      'names each SKU, ordered and shipped). Check the back-end fulfilment against the order (a duplicate shipment, ' +
      'a wrong order, a substitution); correct it in the back-end, or amend the order in SparkLayer, then replay.',
  },
  OVER_RETURNED: {
    owner: 'customer service',
    action:
      'The return, with what the purchase already had returned, returns more of a SKU than was shipped (the message ' +
      'names each SKU, shipped and returned). Check the return with the customer and the warehouse; correct it in ' +
      'the back-end (or report the missing shipment first), then replay.',
  },
  PART_PACK: {
    owner: 'operations',
    action:
      'A line is not a whole number of the packs SparkLayer sells the SKU in (unit_map; the message names the line, ' +
      'its back-end quantity and the pack size). Check the shipment or return in the back-end, and the pack size in ' +
      'unit_map; it is never rounded. Fix it, then replay.',
  },
  AMBIGUOUS_PACK: {
    owner: 'integration',
    action:
      'The back-end SKU of a line backs two SKUs the SparkLayer order holds (an each and a case, through unit_map), ' +
      'so which one shipped or came back cannot be told. Report it by hand in SparkLayer, or split the back-end ' +
      'items, then replay.',
  },
} as const satisfies Record<string, ExceptionCode>;
type Code = keyof typeof CODES;

/** The record as it came: fulfilment or return is told, and each read, by the rule (one bad record fails alone). */
const recordSchema = z.looseObject({});
type InputRecord = z.infer<typeof recordSchema>;

const text = z.string().trim().min(1, 'must not be blank');
const transactionId = z.union([text, z.number().transform(String)], { error: 'must be the back-end transaction id' });
const quantity = z
  .union([z.string(), z.number()], { error: 'must be a decimal quantity such as 2 or "2.5"' })
  .transform((value, ctx) => {
    try {
      const decimal = toDecimal(value, 'quantity');
      if (decimal.lte(0)) ctx.addIssue({ code: 'custom', message: `${String(value)} is not above 0` });
      return decimal;
    } catch (error) {
      if (!(error instanceof MoneyError)) throw error;
      ctx.addIssue({ code: 'custom', message: `${JSON.stringify(value)} is not a decimal quantity` });
      return z.NEVER;
    }
  });
const lines = z
  .array(z.looseObject({ sku: text, quantity, location: z.string().optional() }), { error: 'must be a list' })
  .min(1, 'has no lines');

/** A canonical fulfilment (pack-contract §5, model/fulfilment.ts Fulfilment); `status` absent is a shipment. */
const fulfilmentSchema = z.looseObject({
  purchase_id: text,
  transaction_id: transactionId,
  source: z.string().default(''),
  status: z.enum(FULFILMENT_STATUSES).default('shipped'),
  shipped_at: z.string().default(''),
  carrier: z.string().optional(),
  tracking_number: z.string().optional(),
  tracking_url: z.string().optional(),
  location: z.string().optional(),
  lines,
});

/** A canonical return (model/fulfilment.ts CanonicalReturn), whose `purchase_id` may be found another way. */
const returnSchema = z.looseObject({
  purchase_id: text.optional(),
  transaction_id: transactionId,
  original_transaction_id: transactionId.optional(),
  created_from: transactionId.optional(),
  source: z.string().default(''),
  returned_at: text,
  location: z.string().optional(),
  lines,
  reason: z.string().optional(),
});

type ReadFulfilment = z.infer<typeof fulfilmentSchema>;
type ReadReturn = z.infer<typeof returnSchema>;
type Read =
  | { kind: 'shipment'; value: ReadFulfilment }
  | { kind: 'return'; value: ReadReturn }
  | { kind: 'invalid'; code: 'INVALID_FULFILMENT' | 'INVALID_RETURN'; message: string };

const isReturn = (record: InputRecord) => record.returned_at !== undefined && record.returned_at !== null;

function readRecord(record: InputRecord): Read {
  const value = withoutNulls(record);
  if (isReturn(record)) {
    const parsed = returnSchema.safeParse(value);
    return parsed.success
      ? { kind: 'return', value: parsed.data }
      : { kind: 'invalid', code: 'INVALID_RETURN', message: issues(parsed.error) };
  }
  const parsed = fulfilmentSchema.safeParse(value);
  return parsed.success
    ? { kind: 'shipment', value: parsed.data }
    : { kind: 'invalid', code: 'INVALID_FULFILMENT', message: issues(parsed.error) };
}

const issues = (error: z.ZodError, prefix: PropertyKey[] = []) =>
  error.issues.map((issue) => `${formatPath([...prefix, ...issue.path])}: ${issue.message}`).join('; ');

/** A record's id in skipped and exceptions: its back-end transaction id. */
function recordId(record: unknown): string | null {
  if (record === null || typeof record !== 'object') return null;
  return nonBlank((record as { transaction_id?: unknown }).transaction_id) ?? null;
}

// ------------------------------------------------------------------------------------------- the purchases beside

interface PurchaseState {
  id: string;
  lookupBy: PurchaseIdKind;
  ordered: OrderedLine[];
  shipped: Fulfilment[];
  returned: CanonicalReturn[];
}

/** A purchase beside, read: what it ordered, and the shipment and return packages it already holds. */
function readPurchase(raw: unknown, index: number): PurchaseState | string {
  const parsed = purchaseSchema.safeParse(withoutNulls(raw));
  if (!parsed.success) return issues(parsed.error, ['purchases', index]);
  const purchase = parsed.data;
  const { id, lookupBy } = purchaseLookup(purchase)!;
  const packages = readPackages(id, purchase.packages, ['purchases', index]);
  return typeof packages === 'string' ? packages : { id, lookupBy, ...packages };
}

// ------------------------------------------------------------------------------------------------------- units

/** A line in SparkLayer's SKU and unit. */
interface PackLine {
  sku: string;
  quantity: Decimal;
}

/**
 * The record's lines in the SparkLayer SKUs the purchase ordered and in packs (unit_map), SKUs added up in first-seen
 * order; or the exception. Never rounds.
 */
function toSparkLayerLines(
  raw: ReadonlyArray<{ sku: string; quantity: Decimal }>,
  purchase: PurchaseState,
  unitMap: ReadonlyMap<string, UnitConversion>,
): PackLine[] | { code: Code; message: string } {
  const backOf = (sparkSku: string) => unitMap.get(sparkSku)?.sku ?? sparkSku;
  const orderedSkus = [...new Set(purchase.ordered.map((line) => line.sku))];
  const out = new Map<string, Decimal>();
  for (const [index, line] of raw.entries()) {
    const sku = line.sku.trim();
    const where = `lines[${index}]`;
    const ordered = orderedSkus.filter((spark) => backOf(spark) === sku);
    if (ordered.length > 1)
      return {
        code: 'AMBIGUOUS_PACK',
        message: `${where}: back-end SKU ${sku} backs ${ordered.join(' and ')}, all on the order`,
      };
    // Not on the order: the one SparkLayer SKU unit_map backs with it, else its own name (then OVER_FULFILLED).
    const packs = [...unitMap].filter(([, conversion]) => conversion.sku === sku).map(([spark]) => spark);
    const spark = ordered[0] ?? (packs.length === 1 ? packs[0]! : sku);
    const units = unitMap.get(spark)?.unitsPerPack;
    let quantity = line.quantity;
    if (units !== undefined && !units.eq(1)) {
      quantity = line.quantity.div(units).round(0, Big.roundDown);
      if (!quantity.times(units).eq(line.quantity))
        return {
          code: 'PART_PACK',
          message:
            `${where}: ${line.quantity.toFixed()} of ${sku} is not a whole number of ${spark} packs of ` +
            `${units.toFixed()} (unit_map); not rounded`,
        };
    }
    out.set(spark, (out.get(spark) ?? new Big(0)).plus(quantity));
  }
  return [...out].map(([sku, total]) => ({ sku, quantity: total }));
}

// ------------------------------------------------------------------------------------------------------- output

/** The package, in the fields the docs show (UNVERIFIED ones named in the header). */
function packageOf(kind: 'shipment' | 'return', transactionId: string, packLines: PackLine[], carrier?: string) {
  return {
    type: PACKAGE_TYPES[kind], // UNVERIFIED value: see PACKAGE_TYPES.
    identifiers: { internal: transactionId }, // UNVERIFIED key: see the header.
    line_items: packLines.map((line) => ({
      identifiers: { sku: line.sku },
      quantity: Number(line.quantity.toFixed()),
    })),
    // `shipments[].carrier`: the legacy package example (https://docs.sparklayer.io/tech-docs/createupdate-purchase).
    ...(kind === 'shipment' && carrier !== undefined && carrier.trim() !== ''
      ? { shipments: [{ carrier: carrier.trim() }] }
      : {}),
  };
}

export const step = defineStep({
  key: 'map-fulfilment-to-sparklayer',
  title: 'Map fulfilment to SparkLayer',
  purpose:
    "Turns the back-end's shipments and returns into SparkLayer purchase updates (one package each, in SparkLayer's " +
    'packs), linked to the purchases beside them; never more shipped than ordered nor more returned than shipped.',
  settings: {
    unit_map: unitMapSetting(
      "The order steps' table, read in reverse: a back-end line of a pack SKU is reported in whole packs.",
    ),
  },
  exceptionCodes: CODES,
  record: { schema: recordSchema, id: recordId, checkOnly: true },
  beside: z.looseObject({
    purchases: z.array(z.unknown(), { error: 'purchases must be a list of SparkLayer purchases' }).default([]),
  }),
  rule: (records: readonly InputRecord[], { unit_map: unitMap }, { purchases }) => {
    // The purchases beside, by id (the first of an id wins), read when a record first needs one.
    const byId = new Map<string, number>();
    purchases.forEach((raw, index) => {
      const id = purchaseId(raw);
      if (id !== null && !byId.has(id)) byId.set(id, index);
    });
    const states = new Map<number, PurchaseState | string>();
    const stateOf = (index: number) => {
      let state = states.get(index);
      if (state === undefined) states.set(index, (state = readPurchase(purchases[index], index)));
      return state;
    };

    const reads = records.map(readRecord);
    // Fulfilment transaction → its purchase id: this payload's readable fulfilments, then the shipment packages beside.
    const purchaseOfFulfilment = new Map<string, Set<string>>();
    const addLink = (transaction: string, purchase: string) =>
      purchaseOfFulfilment.set(transaction, (purchaseOfFulfilment.get(transaction) ?? new Set()).add(purchase));
    for (const read of reads) if (read.kind === 'shipment') addLink(read.value.transaction_id, read.value.purchase_id);
    let packagesLinked = false;
    const linkThrough = (original: string): string | undefined => {
      if (!packagesLinked) {
        packagesLinked = true;
        for (const index of byId.values()) {
          const state = stateOf(index);
          if (typeof state !== 'string') for (const shipped of state.shipped) addLink(shipped.transaction_id, state.id);
        }
      }
      const found = purchaseOfFulfilment.get(original);
      return found?.size === 1 ? [...found][0] : undefined;
    };

    const accepted = new Map<string, { shipped: Fulfilment[]; returned: CanonicalReturn[] }>();
    const acceptedOf = (id: string) => {
      let lists = accepted.get(id);
      if (lists === undefined) accepted.set(id, (lists = { shipped: [], returned: [] }));
      return lists;
    };

    const judge = (index: number): Outcome<Code> => {
      const read = reads[index]!;
      if (read.kind === 'invalid') return fail(read.code, read.message);
      const value = read.value;
      if (read.kind === 'shipment' && read.value.status !== 'shipped') return skip(`status:${read.value.status}`);
      const unlinked = read.kind === 'shipment' ? 'UNLINKED_FULFILMENT' : 'UNLINKED_RETURN';
      let wanted = value.purchase_id;
      if (wanted === undefined && read.kind === 'return') {
        const original = read.value.original_transaction_id;
        if (original === undefined)
          return fail(unlinked, 'no purchase_id and no original_transaction_id: its purchase cannot be found');
        wanted = linkThrough(original);
        if (wanted === undefined)
          return fail(
            unlinked,
            `no purchase_id, and original_transaction_id ${original} names no fulfilment of exactly one purchase`,
          );
      }
      const at = byId.get(wanted!);
      if (at === undefined) return fail(unlinked, `purchase ${wanted} is not among the purchases beside the records`);
      const purchase = stateOf(at);
      if (typeof purchase === 'string') return fail('INVALID_ORDER', `purchase ${wanted}: ${purchase}`);

      const packLines = toSparkLayerLines(value.lines, purchase, unitMap);
      if (!Array.isArray(packLines)) return fail(packLines.code, packLines.message);
      const mine = new Set(packLines.map((line) => line.sku));
      const lists = acceptedOf(purchase.id);
      const transaction = value.transaction_id;

      if (read.kind === 'shipment') {
        const shipment: Fulfilment = { ...read.value, purchase_id: purchase.id, lines: packLines };
        const progress = purchaseProgress(
          purchase.id,
          purchase.ordered,
          [...purchase.shipped, ...lists.shipped, shipment],
          [],
        );
        const over = progress.issues.filter((issue) => issue.code === 'OVER_FULFILLED' && mine.has(issue.sku));
        if (over.length > 0)
          return fail(
            'OVER_FULFILLED',
            over.map((issue) => issue.message).join('; '),
            over.map(({ sku, ordered, fulfilled }) => ({
              sku,
              ordered: ordered.toFixed(),
              shipped: fulfilled.toFixed(),
            })),
          );
        lists.shipped.push(shipment);
        const tracking = nonBlank(read.value.tracking_number);
        return pass({
          purchase_id: purchase.id,
          lookup_by: purchase.lookupBy,
          transaction_id: transaction,
          kind: 'shipment',
          ...(read.value.shipped_at === '' ? {} : { shipped_at: read.value.shipped_at }),
          ...(tracking === undefined ? {} : { tracking_number: tracking }),
          package: packageOf('shipment', transaction, packLines, read.value.carrier),
        });
      }

      const ret: CanonicalReturn = {
        ...read.value,
        purchase_id: purchase.id,
        original_transaction_id: read.value.original_transaction_id ?? '',
        lines: packLines,
      };
      const progress = purchaseProgress(
        purchase.id,
        purchase.ordered,
        [...purchase.shipped, ...lists.shipped],
        [...purchase.returned, ...lists.returned, ret],
      );
      const over = progress.issues.filter((issue) => issue.code === 'OVER_RETURNED' && mine.has(issue.sku));
      if (over.length > 0)
        return fail(
          'OVER_RETURNED',
          over.map((issue) => issue.message).join('; '),
          over.map(({ sku, ordered, fulfilled, returned }) => ({
            sku,
            ordered: ordered.toFixed(),
            shipped: fulfilled.toFixed(),
            returned: returned.toFixed(),
          })),
        );
      lists.returned.push(ret);
      return pass({
        purchase_id: purchase.id,
        lookup_by: purchase.lookupBy,
        transaction_id: transaction,
        kind: 'return',
        returned_at: read.value.returned_at,
        ...(read.value.original_transaction_id === undefined
          ? {}
          : { original_transaction_id: read.value.original_transaction_id }),
        package: packageOf('return', transaction, packLines),
      });
    };

    // Shipments first, then returns (a return is judged against every shipment accepted), each in input order.
    const outcomes = new Array<Outcome<Code>>(records.length);
    const order = [...reads.keys()];
    for (const index of order) if (!isReturn(records[index]!)) outcomes[index] = judge(index);
    for (const index of order) if (isReturn(records[index]!)) outcomes[index] = judge(index);
    return outcomes;
  },
});

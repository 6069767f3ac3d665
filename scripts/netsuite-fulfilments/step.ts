/**
 * netsuite-fulfilments (issue 18): NetSuite item fulfillments, credit memos and return authorizations, as GET
 * /record/v1/<record>/{id}?expandSubResources=true returns them, read into the pack's canonical fulfilments and returns
 * (model/fulfilment.ts) for map-fulfilment-to-sparklayer: one per record, in order. The reading itself is
 * connectors/netsuite/fulfilment-reader.ts' (`fulfilmentFromNetSuite`, `returnFromNetSuite`): see its header for what
 * each field is and which Oracle page confirms it. A fulfilment not yet shipped (shipStatus picked or packed) passes
 * as it is: map-fulfilment-to-sparklayer skips it.
 *
 * Which record a body is. The reader does not tell them apart (it is told: one function per record, and the record
 * type for a return), and nothing in a body's fields says it for sure (createdFrom, item and tranDate are on all
 * three). The body's own `links` self href does (`…/record/v1/creditMemo/61`): the GET shape page
 * (https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_159795471905.html) shows every record and
 * reference carrying `links`; that a record's own body always holds its self link is UNVERIFIED (the fixtures, built
 * from Oracle's pages, do). So `record_type` = auto reads each body's self link; a flow that reads one record type per
 * run (or bodies without links) sets it to that type. A body whose self link names another record is
 * INVALID_FULFILMENT (the step cannot read a cash refund, say: the reader reads none).
 *
 * Beside the records (each a list, SuiteQL pages opened):
 * - `sales_orders`: the sales orders the pack booked, internal ID → SparkLayer purchase id (the pack books externalId
 *   = the purchase id: sales-order-mapper.ts). As GET salesOrder bodies (`id`, `externalId`: the reader's
 *   `salesOrderPurchaseIds`) or as SuiteQL rows (`id`, `externalid`), e.g. `SELECT id, externalid FROM transaction
 *   WHERE type = 'SalesOrd' AND id IN (<the createdFrom ids>)` (UNVERIFIED: no Oracle page read names the transaction
 *   table's externalid column; backends.md §3.5 has SuiteQL's endpoint and paging only).
 * - `return_authorizations`: for a credit memo made from a return authorization, RA internal ID → the sales order it
 *   was made from. As GET returnAuthorization bodies (`createdFrom`: the reader's `returnAuthorizationOrders`) or
 *   SuiteQL rows (`id`, `createdfrom`; UNVERIFIED, as above: SuiteQL may hold createdfrom on transactionline only).
 *   The return authorizations among the records themselves count too.
 * Settings: `item_ids` and `currency_ids`, map-order-to-netsuite's own declarations (sales-order-mapper.ts
 * NETSUITE_SETTINGS), so one flow variable serves both steps: `item_ids` inverted (item internal ID → SKU) where the
 * SKU is not the item's refName; `currency_ids` for a credit memo currency whose refName is not an ISO code.
 *
 * Exceptions, each carrying the record whole (one bad record never fails the others): a record the reader cannot read
 * (a FulfilmentReadError, naming the field) is INVALID_FULFILMENT, or INVALID_RETURN for a credit memo or return
 * authorization: map-fulfilment-to-sparklayer's codes, same owner and meaning. A record made from a sales order that
 * is not among `sales_orders` (directly, or through its return authorization) is UNLINKED_FULFILMENT / UNLINKED_RETURN.
 */
import * as z from 'zod';
import {
  fulfilmentFromNetSuite,
  itemFulfillmentSchema,
  returnAuthorizationOrders,
  returnFromNetSuite,
  returnTransactionSchema,
  salesOrderPurchaseIds,
} from '../../connectors/netsuite/fulfilment-reader.js';
import { NETSUITE_SETTINGS } from '../../connectors/netsuite/sales-order-mapper.js';
import {
  FULFILMENT_STATUSES,
  FulfilmentReadError,
  readFulfilmentRecord,
  type CanonicalReturn,
  type Fulfilment,
} from '../../model/fulfilment.js';
import { isJsonObject } from '../../runtime/json-object.js';
import { choiceSetting } from '../../runtime/settings.js';
import { defineStep, fail, pass, type ExceptionCode, type Outcome } from '../../runtime/step.js';
import { readBackwards } from '../../runtime/tables.js';

const CODES = {
  INVALID_FULFILMENT: {
    owner: 'integration',
    action:
      'A NetSuite item fulfillment cannot be read as a fulfilment (the message names the record and the field: no ' +
      'createdFrom or tranDate, a shipStatus not A, B or C, a line with no SKU or a quantity not a number), or a ' +
      "record's type cannot be told (no self link and record_type auto, or a record the step does not read). Check " +
      'the record in NetSuite and the read (connectors/netsuite/fulfilment-reader.ts), then replay.',
  },
  INVALID_RETURN: {
    owner: 'integration',
    action:
      'A NetSuite credit memo or return authorization cannot be read as a return (the message names the record and ' +
      'the field: no createdFrom or tranDate, a line with no SKU, a total with no ISO currency: set currency_ids). ' +
      'Check the record in NetSuite and the read (connectors/netsuite/fulfilment-reader.ts), then replay.',
  },
  UNLINKED_FULFILMENT: {
    owner: 'operations',
    action:
      'The item fulfillment was made from a sales order that is not among the sales orders the pack booked, read ' +
      'beside it (sales_orders: internal ID and externalId, the SparkLayer purchase id). Check the sales order ' +
      'carries the SparkLayer purchase id as its External ID and that the flow read it, then replay.',
  },
  UNLINKED_RETURN: {
    owner: 'operations',
    action:
      'The credit memo or return authorization was made from a sales order the pack did not book (not among ' +
      'sales_orders), or from a return authorization not read beside it (return_authorizations). Find the order it ' +
      'came back from, check its External ID is the SparkLayer purchase id and that the flow read it, then replay.',
  },
} as const satisfies Record<string, ExceptionCode>;
type Code = keyof typeof CODES;

/** The records this step reads, by the record name of their self link (lower case) and as `record_type` names them. */
const RECORD_TYPES = new Map([
  ['itemfulfillment', 'itemFulfillment'],
  ['creditmemo', 'creditMemo'],
  ['returnauthorization', 'returnAuthorization'],
] as const);
type RecordType = 'itemFulfillment' | 'creditMemo' | 'returnAuthorization';

/** A NetSuite record body: an object (the reader checks the rest). */
const recordSchema = z.looseObject({});

/** Beside the records: the sales orders booked and the return authorizations read (bodies or SuiteQL rows). */
const besideSchema = z.looseObject({
  sales_orders: z.unknown().optional(),
  return_authorizations: z.unknown().optional(),
});

/** The rows of a read: SuiteQL pages (`{items: [...]}`) opened, lists flattened, nothing for null. */
function rowsOf(read: unknown): unknown[] {
  if (read === undefined || read === null) return [];
  if (Array.isArray(read)) return read.flatMap(rowsOf);
  if (isJsonObject(read) && Array.isArray(read.items) && !('id' in read)) return read.items;
  return [read];
}

const idText = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== ''
    ? value.trim()
    : typeof value === 'number' && Number.isSafeInteger(value)
      ? String(value)
      : undefined;

/** A body or a SuiteQL row as the reader's link builders read it: `id`, `externalId`, `createdFrom: {id}`. */
function asBody(row: unknown): unknown {
  if (!isJsonObject(row)) return row;
  const id = idText(row.id);
  const externalId = typeof row.externalId === 'string' ? row.externalId : row.externalid;
  const from = isJsonObject(row.createdFrom) ? idText(row.createdFrom.id) : idText(row.createdfrom);
  return {
    ...(id === undefined ? {} : { id }),
    ...(typeof externalId === 'string' ? { externalId: externalId.trim() } : {}),
    ...(from === undefined ? {} : { createdFrom: { id: from } }),
  };
}

/** The record name of a body's self link (`…/record/v1/<record>/<id>`), lower case; undefined without one. */
function selfLinkType(body: Record<string, unknown>): string | undefined {
  if (!Array.isArray(body.links)) return undefined;
  const self = body.links.find((link) => isJsonObject(link) && link.rel === 'self');
  const href = isJsonObject(self) && typeof self.href === 'string' ? self.href : '';
  return /\/record\/v1\/([^/?#]+)\//i.exec(href)?.[1]?.toLowerCase();
}

/** The record's type, or why it cannot be told. */
function typeOf(body: Record<string, unknown>, setting: RecordType | 'auto'): RecordType | { problem: string } {
  const linked = selfLinkType(body);
  const known = linked === undefined ? undefined : RECORD_TYPES.get(linked as never);
  if (linked !== undefined && known === undefined)
    return {
      problem: `links: the self link names ${linked}, not an item fulfillment, credit memo or return authorization`,
    };
  if (setting === 'auto')
    return known ?? { problem: 'links: no self link names the record type (set record_type to the record read)' };
  if (known !== undefined && known !== setting)
    return { problem: `links: the self link names ${known}, not the ${setting} record_type says` };
  return setting;
}

/** The record's id in skipped and exceptions: `<record type> <internal ID>`, or the internal ID alone. */
function recordId(record: unknown): string | null {
  if (!isJsonObject(record)) return null;
  const id = idText(record.id);
  const linked = selfLinkType(record);
  const type = linked === undefined ? undefined : (RECORD_TYPES.get(linked as never) ?? linked);
  return id === undefined ? null : type === undefined ? id : `${type} ${id}`;
}

/** A canonical record as JSON: quantities and money as exact decimal text (a refund as `{number, currency}`). */
function written(record: Fulfilment | CanonicalReturn): Record<string, unknown> {
  const { lines, ...rest } = record;
  const refund = 'refund' in rest ? rest.refund : undefined;
  return {
    ...rest,
    lines: lines.map((line) => ({ ...line, quantity: line.quantity.toFixed() })),
    ...(refund === undefined ? {} : { refund: { number: refund.amount.toFixed(), currency: refund.currency } }),
  };
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

export const step = defineStep({
  key: 'netsuite-fulfilments',
  title: 'NetSuite fulfilments and returns',
  purpose:
    'Reads NetSuite item fulfillments, credit memos and return authorizations as canonical fulfilments and returns ' +
    'for map-fulfilment-to-sparklayer, each linked to its SparkLayer purchase through the sales order it was made ' +
    'from (the sales orders booked ride beside as sales_orders).',
  settings: {
    record_type: choiceSetting({
      description:
        "Which NetSuite record the records are. auto: each body's own self link says (…/record/v1/creditMemo/61). " +
        'itemFulfillment, creditMemo or returnAuthorization: every record is one (a flow that reads one per run).',
      default: 'auto',
      choices: ['auto', 'itemFulfillment', 'creditMemo', 'returnAuthorization'],
    }),
    item_ids: NETSUITE_SETTINGS.item_ids.describe(
      "map-order-to-netsuite's item_ids (SKU to NetSuite item internal ID), read backwards: a line's item is the " +
        'SKU that names it. An item not in it is its refName (Item Name/Number).',
    ),
    currency_ids: NETSUITE_SETTINGS.currency_ids.describe(
      "map-order-to-netsuite's currency_ids (ISO currency code to NetSuite currency internal ID): a refund whose " +
        "currency's refName is not an ISO code is in the code that names its internal ID.",
    ),
  },
  exceptionCodes: CODES,
  record: { schema: recordSchema, id: recordId, checkOnly: true, quick: isJsonObject },
  beside: besideSchema,
  rule: (records, settings, { sales_orders: salesOrderRead, return_authorizations: raRead }) => {
    const salesOrders = salesOrderPurchaseIds(rowsOf(salesOrderRead).map(asBody));
    const types = records.map((record) => typeOf(record, settings.record_type));
    const ownAuthorizations = records.filter((_, index) => types[index] === 'returnAuthorization');
    const returnAuthorizations = returnAuthorizationOrders([...rowsOf(raRead), ...ownAuthorizations].map(asBody));
    // item_ids read backwards; an item two SKUs name cannot be told, so its lines are refused (not guessed).
    const { keys: itemSkus, twice } = readBackwards(settings.item_ids);
    const links = { salesOrders, returnAuthorizations, itemSkus, currencyIds: settings.currency_ids };

    const outcomes = records.map((record, index): Outcome<Code> => {
      const type = types[index]!;
      if (typeof type !== 'string')
        return fail('INVALID_FULFILMENT', `NetSuite record ${idText(record.id) ?? '(no id)'}: ${type.problem}`);
      const isFulfilment = type === 'itemFulfillment';
      const invalid: Code = isFulfilment ? 'INVALID_FULFILMENT' : 'INVALID_RETURN';
      try {
        // Read as the reader reads it first, so a record it cannot read is named so before any link is looked for.
        const parsed = readFulfilmentRecord(
          isFulfilment ? itemFulfillmentSchema : returnTransactionSchema,
          record,
          `NetSuite ${type} ${typeof record.id === 'string' ? record.id : '(no id)'}`,
        );
        const what = `NetSuite ${type} ${parsed.id}`;
        const from = parsed.createdFrom.id;
        for (const [index, line] of parsed.item.items.entries()) {
          const skus = twice.get(line.item.id);
          if (skus !== undefined)
            return fail(
              invalid,
              `${what}: item.items.${index}.item: item ${line.item.id} is named by ${skus.join(' and ')} in item_ids`,
            );
        }
        if (isFulfilment) {
          if (!salesOrders.has(from))
            return fail(
              'UNLINKED_FULFILMENT',
              `${what}: createdFrom: sales order ${from} is not among the sales orders booked (sales_orders)`,
            );
          const fulfilment = fulfilmentFromNetSuite(record, links);
          if (!FULFILMENT_STATUSES.includes(fulfilment.status)) return fail(invalid, shipStatusMessage(record, what));
          return pass(written(fulfilment));
        }
        const authorizationOrder = returnAuthorizations.get(from);
        if (!salesOrders.has(from) && (authorizationOrder === undefined || !salesOrders.has(authorizationOrder)))
          return fail(
            'UNLINKED_RETURN',
            authorizationOrder === undefined
              ? `${what}: createdFrom: ${from} is neither a sales order booked (sales_orders) nor a return ` +
                  'authorization read (return_authorizations)'
              : `${what}: createdFrom: return authorization ${from} was made from sales order ` +
                  `${authorizationOrder}, not among the sales orders booked (sales_orders)`,
          );
        return pass(written(returnFromNetSuite(record, links, type)));
      } catch (error) {
        if (!(error instanceof FulfilmentReadError)) throw error;
        return fail(invalid, messageOf(error));
      }
    });
    return outcomes;
  },
});

/**
 * A shipStatus the reader took for a status it is not (a name every object inherits, such as "constructor"): the
 * reader's own words for a shipStatus that is not A, B or C.
 */
function shipStatusMessage(record: Record<string, unknown>, what: string): string {
  const status = record.shipStatus;
  const value = isJsonObject(status) ? status.id : status;
  return `${what}: shipStatus: ${JSON.stringify(value)} is not A, B or C`;
}

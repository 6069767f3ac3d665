/**
 * netsuite-stock-levels: the rows of the pack's NetSuite stock query (connectors/netsuite/stock-reader.ts,
 * `netsuiteStockQuery`, run by the connection shape runSuiteQL) as the pack's canonical stock levels (model/stock.ts),
 * which map-stock-to-sparklayer reads: one level per row, in order. The reading itself is `stockLevelsFromSuiteQL`'s:
 * `available` is NetSuite's quantityavailable (on hand less what approved sales orders commit), `archived` the item's
 * isinactive, `has_variants` a matrix parent. Anything wrong with a SKU, a location or a quantity is left for
 * map-stock-to-sparklayer to report on that level, naming the field; a row the reader cannot read at all (an
 * isinactive or matrixtype that is neither T/F nor PARENT/CHILD: the query or NetSuite changed) is this step's
 * UNREADABLE_STOCK_ROW, kept whole, and its level is not published (SparkLayer keeps the last one).
 *
 * Open orders: quantityavailable already leaves out what approved sales orders commit, but not what a sales order
 * still Pending Approval holds (the pack books a held Pay on Account order so). The flow reads those orders' lines
 * (`NETSUITE_PENDING_APPROVAL_QUERY`, the same runSuiteQL) and they ride beside the stock rows as
 * `open_order_records`: SuiteQL pages or their rows. This step turns them into map-stock-to-sparklayer's
 * `open_orders` (`openOrdersFromSuiteQL`: item SKU, line location, units) in place of the records read; a row it cannot
 * read (no SKU, no location, a quantity that is not a number) is this step's UNREADABLE_OPEN_ORDER_ROW, kept whole, and
 * its units are not subtracted.
 */
import * as z from 'zod';
import { openOrdersFromSuiteQL, stockLevelFromSuiteQL } from '../../connectors/netsuite/stock-reader.js';
import { defineStep, fail, pass, type ExceptionCode } from '../../runtime/step.js';
import { isJsonObject } from '../../runtime/json-object.js';

const CODES = {
  UNREADABLE_STOCK_ROW: {
    owner: 'integration',
    action:
      'A row of the NetSuite stock query could not be read as a stock level (the message names the row, the item ' +
      'and the column): its isinactive is not T or F, or its matrixtype not PARENT or CHILD, so the query or ' +
      "NetSuite's SuiteQL changed. Its stock is not published and SparkLayer keeps the last level. Check the query " +
      'in connectors/netsuite/stock-reader.ts against the account, then let the next run read it again.',
  },
  UNREADABLE_OPEN_ORDER_ROW: {
    owner: 'integration',
    action:
      'A row of the NetSuite Pending Approval sales order lines could not be read as an open order (the message ' +
      'names the sales order, the line and the column): it has no item SKU (itemid) or no location, or its quantity ' +
      'is not a number. Its units are NOT subtracted, so that SKU may publish more than is free until the order is ' +
      'approved. Check the line in NetSuite (a line with no location: set one) and the query in ' +
      'connectors/netsuite/stock-reader.ts, then let the next run read it again.',
  },
} as const satisfies Record<string, ExceptionCode>;

/** A SuiteQL row: an object of columns (NetSuite leaves empty columns out; nulls are read as absent). */
const rowSchema = z.looseObject({});

/** Beside the rows: the Pending Approval lines read (SuiteQL pages or rows), and whatever else rides there. */
const besideSchema = z.looseObject({ open_order_records: z.unknown().optional() });

/** The rows of what was read: pages (`{items: [...]}`) opened, rows as they are, nothing for null. */
export function suiteqlRows(read: unknown): unknown[] {
  if (read === undefined || read === null) return [];
  if (Array.isArray(read)) return read.flatMap(suiteqlRows);
  if (typeof read === 'object' && Array.isArray((read as { items?: unknown }).items))
    return (read as { items: unknown[] }).items;
  return [read];
}

/** The row's id in skipped and exceptions: `item <internal id>@<location>`. */
function rowId(row: unknown): string | null {
  if (row === null || typeof row !== 'object') return null;
  const { item, itemid, location } = row as Record<string, unknown>;
  const name = typeof itemid === 'string' && itemid.trim() !== '' ? itemid.trim() : item;
  if (typeof name !== 'string' && typeof name !== 'number') return null;
  return typeof location === 'string' || typeof location === 'number' ? `${name}@${location}` : String(name);
}

export const step = defineStep({
  key: 'netsuite-stock-levels',
  title: 'NetSuite stock levels',
  purpose:
    "Reads the rows of the pack's NetSuite stock query (SuiteQL over inventoryitemlocations) as stock levels for " +
    'map-stock-to-sparklayer: available is quantityavailable, inactive items archived, matrix parents marked; the ' +
    'lines of sales orders Pending Approval read beside them become open_orders.',
  settings: {},
  exceptionCodes: CODES,
  // The schema only checks: the rule reads each row as it came (less its nulls), not zod's copy of it; any object is
  // a row to it, which the quick check sees without zod.
  record: { schema: rowSchema, id: rowId, checkOnly: true, quick: isJsonObject },
  beside: besideSchema,
  rule: (rows, _settings, { open_order_records: read, ...rest }) => {
    const outcomes = rows.map((row, index) => {
      try {
        return pass(stockLevelFromSuiteQL(row, index));
      } catch (error) {
        return fail('UNREADABLE_STOCK_ROW', error instanceof Error ? error.message : String(error));
      }
    });
    // No open orders read (none beside): what rides beside goes on as it came.
    if (read === undefined) return { outcomes };
    const { orders, unreadable } = openOrdersFromSuiteQL(suiteqlRows(read));
    return {
      outcomes,
      unmatched: unreadable.map(({ row, message }) => ({
        id: openOrderRowId(row),
        record: row,
        code: 'UNREADABLE_OPEN_ORDER_ROW' as const,
        message,
      })),
      write: { ...rest, open_orders: orders },
    };
  },
});

/** An open-order row's id in exceptions: `sales order <transaction> line <id>`. */
function openOrderRowId(row: unknown): string | null {
  if (row === null || typeof row !== 'object' || Array.isArray(row)) return null;
  const { transaction, id } = row as Record<string, unknown>;
  const part = (value: unknown) => (typeof value === 'string' || typeof value === 'number' ? String(value) : '?');
  return `sales order ${part(transaction)} line ${part(id)}`;
}

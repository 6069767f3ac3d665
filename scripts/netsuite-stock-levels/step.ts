/**
 * netsuite-stock-levels: the rows of the pack's NetSuite stock query (connectors/netsuite/stock-reader.ts,
 * `netsuiteStockQuery`, run by the connection shape runSuiteQL) as the pack's canonical stock levels (model/stock.ts),
 * which map-stock-to-sparklayer reads: one level per row, in order. The reading itself is `stockLevelsFromSuiteQL`'s:
 * `available` is NetSuite's quantityavailable (on hand less what approved sales orders commit), `archived` the item's
 * isinactive, `has_variants` a matrix parent. Anything wrong with a SKU, a location or a quantity is left for
 * map-stock-to-sparklayer to report on that level, naming the field; a row the reader cannot read at all (an
 * isinactive or matrixtype that is neither T/F nor PARENT/CHILD: the query or NetSuite changed) is this step's
 * UNREADABLE_STOCK_ROW, kept whole, and its level is not published (SparkLayer keeps the last one).
 */
import * as z from 'zod';
import { stockLevelsFromSuiteQL } from '../../connectors/netsuite/stock-reader.js';
import { defineStep, fail, pass, type ExceptionCode } from '../../runtime/step.js';

const CODES = {
  UNREADABLE_STOCK_ROW: {
    owner: 'integration',
    action:
      'A row of the NetSuite stock query could not be read as a stock level (the message names the row, the item ' +
      'and the column): its isinactive is not T or F, or its matrixtype not PARENT or CHILD, so the query or ' +
      "NetSuite's SuiteQL changed. Its stock is not published and SparkLayer keeps the last level. Check the query " +
      'in connectors/netsuite/stock-reader.ts against the account, then let the next run read it again.',
  },
} as const satisfies Record<string, ExceptionCode>;

/** A SuiteQL row: an object of columns (NetSuite leaves empty columns out; nulls are read as absent). */
const rowSchema = z.looseObject({});

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
    'map-stock-to-sparklayer: available is quantityavailable, inactive items archived, matrix parents marked.',
  settings: {},
  exceptionCodes: CODES,
  // The schema only checks: the rule reads each row as it came (less its nulls), not zod's copy of it.
  record: { schema: rowSchema, id: rowId, checkOnly: true },
  rule: (rows) => ({
    outcomes: rows.map((row, index) => {
      try {
        return pass(stockLevelsFromSuiteQL([row])[0]);
      } catch (error) {
        // The reader names the row by its place in what it was given (0 here): name it by its place in the run.
        const message = (error instanceof Error ? error.message : String(error)).replace(
          /^NetSuite stock row 0/,
          `NetSuite stock row ${index}`,
        );
        return fail('UNREADABLE_STOCK_ROW', message);
      }
    }),
  }),
});

/**
 * A SparkLayer purchase's packages as the pack reads them: what the order ordered, and the shipment and return
 * packages the fulfilment flows write back onto it (scripts/map-fulfilment-to-sparklayer). Declared once, so that every
 * reader of a purchase (the order steps, reconciliation, flag-stale-orders, the fulfilment steps) tells the two alike
 * and a shipment written back never counts as more ordered.
 *
 * UNVERIFIED: the package `type` values the pack writes and reads as shipments and returns. The docs show a package
 * `type` ("One Of: Incoming…", https://docs.sparklayer.io/tech-docs/createupdate-purchase) but not its enum; the
 * values belong in https://docs.sparklayer.io/developers/api/purchasing/send-orders.md, whose body was not read.
 */
import type { CanonicalReturn, Fulfilment, FulfilmentLine } from '../../model/fulfilment.js';
import { MoneyError, toDecimal } from '../../model/money.js';
import { formatPath } from '../../runtime/envelope.js';
import { nonBlank, packagesOf } from './purchase.js';

export const PACKAGE_TYPES = { shipment: 'shipment', return: 'return' } as const;

/** Whether a package is one the pack wrote back (a shipment or a return), not part of what was ordered. */
export function isWrittenBack(pkg: unknown): boolean {
  const type = pkg !== null && typeof pkg === 'object' ? (pkg as { type?: unknown }).type : undefined;
  return type === PACKAGE_TYPES.shipment || type === PACKAGE_TYPES.return;
}

type PackageLike = {
  type?: unknown;
  identifiers?: { internal?: unknown } | null;
  line_items?: Array<{ identifiers?: { sku?: unknown } | null; quantity?: unknown }> | null;
};

/** A purchase's packages, read: the lines ordered, and what its shipment and return packages hold. */
export interface PackagesRead {
  ordered: FulfilmentLine[];
  shipped: Fulfilment[];
  returned: CanonicalReturn[];
}

/**
 * Reads the packages of purchase `purchaseId` (as held: a list, one object or none), or gives the field that cannot be
 * read, its path under `at` (e.g. `purchases[3]`). Each shipment and return package becomes a canonical fulfilment or
 * return keyed by its `identifiers.internal` (the back-end transaction id), so counting it with the back-end's own
 * record of the same transaction counts it once; one written without that id is still counted, under a key no
 * back-end transaction id has.
 */
export function readPackages(
  purchaseId: string,
  held: unknown,
  at: ReadonlyArray<string | number> = [],
): PackagesRead | string {
  const read: PackagesRead = { ordered: [], shipped: [], returned: [] };
  for (const [p, raw] of packagesOf(held).entries()) {
    const pkg = (raw ?? {}) as PackageLike;
    const lines: FulfilmentLine[] = [];
    for (const [l, line] of (pkg.line_items ?? []).entries()) {
      const where = formatPath([...at, 'packages', p, 'line_items', l]);
      const sku = nonBlank(line.identifiers?.sku);
      if (sku === undefined) return `${where}.identifiers.sku: missing`;
      if (line.quantity === undefined || line.quantity === null) return `${where}.quantity: missing`;
      try {
        lines.push({ sku, quantity: toDecimal(line.quantity, `${where}.quantity`) });
      } catch (error) {
        if (!(error instanceof MoneyError)) throw error;
        return `${where}.quantity: ${error.message}`;
      }
    }
    const transaction_id = nonBlank(pkg.identifiers?.internal) ?? `\u0000package ${p}`;
    const common = { purchase_id: purchaseId, transaction_id, source: 'sparklayer', lines };
    if (pkg.type === PACKAGE_TYPES.shipment) read.shipped.push({ ...common, status: 'shipped', shipped_at: '' });
    else if (pkg.type === PACKAGE_TYPES.return)
      read.returned.push({ ...common, original_transaction_id: '', returned_at: '' });
    else read.ordered.push(...lines);
  }
  return read;
}

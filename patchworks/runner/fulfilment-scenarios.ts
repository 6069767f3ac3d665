/**
 * What the back-ends do after the pack books an order, staged on the sandbox for the `npm start` demo and the
 * fulfilment flow tests: the warehouse ships in parts, the store closes a sale and takes goods back, and a return of a
 * sale the pack never booked comes in. Each starts from an order the order flow booked on the same sandbox.
 */
import { saleIdFor } from '../../connectors/lightspeed-x/sale-id.js';
import type { NetSuiteSandbox } from '../../connectors/netsuite/dev/sandbox.js';
import { loadFixture } from '../../contracts/fixtures.js';
import type { Sandbox } from './systems.js';

type Json = Record<string, unknown>;

/** The return the X-Series store takes against the booked sale (two towels back). */
export const X_SERIES_RETURN_IN_STORE = '06bf537b-c783-11e6-f6b9-7ea7909ffe77';
const X_TOWEL = 'b8ca3a65-0183-11e4-fbb5-7988a6ed80f9'; // the client's product_map TOWEL-LINEN-NAT

/**
 * X-Series: the store dispatches the booked on-account sale of `purchaseId` and closes it, then takes two towels back
 * against it in store; beside them comes Lightspeed's documented return example (fixtures/lightspeed-x/fulfilments),
 * a return of a sale the pack never booked. Gives the unlinked return's id.
 */
export async function xSeriesDispatchAndReturns(root: string, sandbox: Sandbox, purchaseId: string): Promise<string> {
  const xSeries = sandbox.fakes.lightspeedX;
  const sale = saleIdFor(purchaseId);
  xSeries.saleById(sale)!.state = 'closed';
  const fixture = await loadFixture(root, 'fixtures/lightspeed-x/fulfilments/sale.partial-return.json');
  const documented = (fixture.body as { data: Json }).data;
  const [line] = documented.line_items as Json[];
  const towelsBack = {
    ...documented,
    id: X_SERIES_RETURN_IN_STORE,
    return_for: sale,
    total_price: -9,
    total_tax: -1.8,
    line_items: [{ ...line, product_id: X_TOWEL, quantity: -2, price_total: -9, tax_total: -1.8 }],
  };
  xSeries.sales.push(structuredClone(towelsBack), structuredClone(documented));
  return documented.id as string;
}

const NS_MUG = '98'; // the client's item_ids MUG-ENAMEL-WHT (unit_map: MUG-ENAMEL-CASE12 is 12 of them)
const NS_TOWEL = '77'; // item_ids TOWEL-LINEN-NAT

/**
 * A record of the NetSuite fake's (the fixtures' 41, 42, 55, 61), made from `from`, its lines these items and
 * quantities (a return's at the towel's 4.50, its total theirs).
 */
function restage(record: Json, from: string, lines: Array<[string, number]>): void {
  const [template] = (record.item as { items: Json[] }).items;
  record.createdFrom = { ...(record.createdFrom as Json), id: from };
  (record.item as { items: Json[] }).items = lines.map(([item, quantity], index) => ({
    ...template,
    item: { ...(template!.item as Json), id: item, refName: item === NS_MUG ? 'Enamel mug, white' : 'Linen towel' },
    quantity,
    ...('orderLine' in template! ? { orderLine: index + 1 } : { rate: 4.5, amount: 4.5 * quantity }),
  }));
  if ('total' in record) record.total = lines.reduce((sum, [, quantity]) => sum + 4.5 * quantity, 0);
}

/** NetSuite's transactions after the booking, as the warehouse and finance make them, in the order they happen. */
export const NETSUITE_TRANSACTIONS = {
  /** One case of mugs and all 12 towels. */
  partialShipment: '41',
  /** The second case. */
  secondShipment: '42',
  /** Two towels authorized back. */
  returnAuthorization: '55',
  /** Credited from the authorization. */
  creditMemo: '61',
} as const;

/**
 * NetSuite: the fixtures' records are of sales order 18 (a purchase the SparkLayer sandbox does not hold); here they
 * are made from the sales order the order flow booked for `purchaseId` (24 mugs and 12 towels), as the warehouse and
 * finance would. The fake's SuiteQL transaction table does not follow bookings: the booked order's row is added, and
 * each transaction is listed only once `happen` says it has happened, so a demo can run the flow between them.
 */
export function netSuiteShipmentsAndReturn(sandbox: Sandbox, purchaseId: string): { happen(ids: string[]): void } {
  const netsuite = sandbox.fakes.netsuite as unknown as NetSuiteSandbox;
  const booked = netsuite.salesOrderByExternalId(purchaseId)!.id as string;
  const byId = (records: Json[], id: string) => records.find((r) => r.id === id)!;
  const { itemFulfillment, returnAuthorization, creditMemo } = netsuite.fulfilments;
  const {
    partialShipment,
    secondShipment,
    returnAuthorization: authorization,
    creditMemo: memo,
  } = NETSUITE_TRANSACTIONS;
  restage(byId(itemFulfillment, partialShipment), booked, [
    [NS_MUG, 12],
    [NS_TOWEL, 12],
  ]);
  restage(byId(itemFulfillment, secondShipment), booked, [[NS_MUG, 12]]);
  restage(byId(returnAuthorization, authorization), booked, [[NS_TOWEL, 2]]);
  restage(byId(creditMemo, memo), authorization, [[NS_TOWEL, 2]]);
  const table = netsuite.tables.transaction!;
  const ours = new Set<string>(Object.values(NETSUITE_TRANSACTIONS));
  const waiting = table.filter((row) => ours.has(String(row.id)));
  table.splice(0, table.length, ...table.filter((row) => !ours.has(String(row.id))));
  table.push({ id: booked, type: 'SalesOrd', externalid: purchaseId, lastmodifieddate: '2026-11-24 16:41:00' });
  return {
    happen(ids) {
      table.push(...waiting.filter((row) => ids.includes(String(row.id))));
    },
  };
}

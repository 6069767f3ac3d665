/**
 * What `npm run record -- sparklayer` pulls from a SparkLayer site: every purchase of every type (all
 * pages), every price list, and a sample of customers (those who placed the purchases, and their
 * companies' primary customers), each written as a fixture with provenance after sanitising.
 */
import { PURCHASE_TYPES, purchaseId } from '../purchase.js';
import type { SparkLayerClient } from './client.js';

export interface RecordedFixture {
  /** Path under the output folder. */
  file: string;
  endpoint: string;
  body: unknown;
  notes: string[];
}

export async function recordSparkLayer(
  client: SparkLayerClient,
  options: { customerSample: number; log: (line: string) => void },
): Promise<RecordedFixture[]> {
  const fixtures: RecordedFixture[] = [];
  const customerIds: string[] = [];

  for (const type of PURCHASE_TYPES) {
    const purchases: unknown[] = [];
    let pages = 0;
    for await (const page of client.purchasePages({ type })) {
      pages += 1;
      purchases.push(...page);
    }
    options.log(`purchases type=${type}: ${purchases.length} over ${pages} page(s)`);
    fixtures.push({
      file: `purchases/list.${type}.json`,
      endpoint: `GET /api/v1/purchases?type=${type}`,
      body: purchases,
      notes: [`all pages concatenated: ${purchases.length} purchases over ${pages} page(s)`],
    });
    for (const purchase of purchases) {
      const customer = (purchase as { customer_identifiers?: { sparklayer?: unknown } }).customer_identifiers
        ?.sparklayer;
      if (typeof customer === 'string' && !customerIds.includes(customer)) customerIds.push(customer);
    }
    if (purchases.some((p) => purchaseId(p) === null))
      options.log(`warning: some ${type} purchases carry no identifier`);
  }

  const priceLists = await client.getAllPriceLists();
  options.log(`price lists: ${priceLists.length}`);
  fixtures.push({
    file: 'price-lists/list.all.json',
    endpoint: 'GET /api/v2/price-lists',
    body: priceLists,
    notes: ['the price lists of every page, without the pagination wrapper'],
  });

  const wanted = customerIds.slice(0, options.customerSample);
  const fetched = new Set<string>();
  for (let i = 0; i < wanted.length; i += 1) {
    const id = wanted[i]!;
    if (fetched.has(id)) continue;
    fetched.add(id);
    const customer = await client.getCustomer('sparklayer', id);
    fixtures.push({
      file: `customers/get.${fetched.size}.json`,
      endpoint: 'GET /api/v2/customers/sparklayer/{id}',
      body: customer,
      notes: [],
    });
    // A sub-account's company: its primary customer holds the ERP account.
    const parent = customer.parent_customer_id;
    if (typeof parent === 'string' && !fetched.has(parent) && !wanted.includes(parent)) wanted.splice(i + 1, 0, parent);
  }
  options.log(`customers: ${fetched.size}`);
  return fixtures;
}

// The flows that write SparkLayer's own price lists into a Lightspeed store, on the sandbox, on the exported
// artefacts (dist/blueprints, the built connector definitions through the connection engine, the built step bundles):
// X-Series price books (created for their customer groups, then filled, then left alone when nothing changed) and
// R-Series price levels (one PUT an item, every level carried), each price that cannot be written queued for its owner.
import { describe, expect, it } from 'vitest';
import { pairKey } from '../../connectors/sparklayer/dev/sandbox.js';
import { sandboxFlows, shapeRun, warnings, withFlowLookup } from '../support/flow-harness.js';

const X = 'sparklayer-prices-to-lightspeed-x';
const R = 'sparklayer-prices-to-lightspeed-r';
const AS_OF = '2026-12-08T09:00:00Z';

type Flows = Awaited<ReturnType<typeof sandboxFlows>>;
/**
 * The example client writes its own list store-trade, which the sandbox's SparkLayer does not hold, so that in npm
 * start (where NetSuite's flow has fed base-list) the store flows stay quiet. Here base-list is SparkLayer's own list.
 */
const client = (flows: Flows) =>
  withFlowLookup(
    withFlowLookup(
      withFlowLookup(flows.client, X, 'list_to_price_book', { 'base-list': 'SparkLayer Base' }),
      X,
      'price_book_customer_groups',
      { 'base-list': 'VIP' },
    ),
    R,
    'list_to_price_level',
    { 'base-list': 'Online' },
  );
/** SparkLayer holding these prices on a list, as batch-update-pricing would have left them. */
function seed(flows: Flows, list: string, prices: Record<string, Array<[number, number]>>) {
  for (const [sku, breaks] of Object.entries(prices))
    flows.sandbox.fakes.sparklayer.prices.set(
      pairKey(sku, list),
      breaks.map(([quantity, price]) => ({ quantity, price })),
    );
}

/** The X-Series book of that name's live entries, as `min_units:price`, by product. */
function bookEntries(flows: Flows, name: string): Record<string, string[]> {
  const x = flows.sandbox.fakes.lightspeedX;
  const book = x.priceBooks.find((b) => b.name === name && !b.deleted_at);
  const out: Record<string, string[]> = {};
  for (const entry of x.priceBookProducts.filter((e) => e.price_book_id === book?.id && !e.deleted_at))
    (out[String(entry.product_id)] ??= []).push(`${String(entry.min_units ?? 1)}:${String(entry.price)}`);
  return out;
}
const xWrites = (flows: Flows) =>
  flows.sandbox.fakes.lightspeedX.calls.filter((call) => /^(POST|PATCH|PUT|DELETE) \/2026/.test(call));

describe(`blueprint ${X}`, () => {
  it('creates the book for its customer group, fills it the next run, then writes nothing', async () => {
    const flows = await sandboxFlows();
    seed(flows, 'base-list', {
      '0003': [
        [1, 4.1],
        [12, 3.9],
      ],
      '0006': [[1, 7.25]],
      'NO-SUCH-SKU': [[1, 1]],
    });
    // SparkLayer's integration list (one the back-end fed) is never read back.
    seed(flows, 'example-trading-ltd', { '0003': [[1, 2]] });
    const first = await flows.run(X, { client: client(flows), asOf: AS_OF });
    expect(first.status).toBe('success');
    expect(flows.sandbox.fakes.sparklayer.calls.filter((c) => c.includes('/pricing'))).toEqual([
      'GET /api/v1/price-lists/base-list/pricing',
    ]);
    // base-list goes to the book "SparkLayer Base", for the VIP group: X-Series has no such book,
    // so it is created first and the prices wait for it; the unknown SKU is operations'.
    expect(shapeRun(first, 'Map prices to X-Series price books').notes[0]).toBe(
      '4 in -> 0 passed, 3 skipped, 1 exceptions',
    );
    expect(xWrites(flows)).toEqual(['POST /2026-07/price_books']);
    const created = flows.sandbox.fakes.lightspeedX.priceBooks.find((b) => b.name === 'SparkLayer Base');
    expect(created).toMatchObject({ customer_group_ids: ['dc85058a-a683-11e5-e112-46b9bd1f069e'] });
    expect(warnings(first)).toEqual([
      'Price NO-SUCH-SKU@base-list not written to the store (new), UNKNOWN_SKU: X-Series has no product with SKU ' +
        '"NO-SUCH-SKU" (Operations)',
    ]);

    // The next hour the book is read: its three entries are added, the break as Min units, in one write.
    const second = await flows.run(X, { client: client(flows), asOf: '2026-12-08T10:00:00Z' });
    expect(second.status).toBe('success');
    expect(xWrites(flows)).toEqual([
      'POST /2026-07/price_books',
      `POST /2026-07/price_books/${String(created!.id)}/products`,
    ]);
    const product = (sku: string) =>
      String(flows.sandbox.fakes.lightspeedX.products.find((p) => p.sku === sku && !p.deleted_at)!.id);
    expect(bookEntries(flows, 'SparkLayer Base')).toEqual({
      [product('0003')]: ['1:4.1', '12:3.9'],
      [product('0006')]: ['1:7.25'],
    });

    // SparkLayer's price changes: only that entry is updated; a run after writes nothing.
    seed(flows, 'base-list', { '0006': [[1, 7.3]] });
    await flows.run(X, { client: client(flows), asOf: '2026-12-08T11:00:00Z' });
    expect(xWrites(flows).slice(2)).toEqual([`PATCH /2026-07/price_books/${String(created!.id)}/products`]);
    expect(bookEntries(flows, 'SparkLayer Base')[product('0006')]).toEqual(['1:7.3']);
    const quiet = await flows.run(X, { client: client(flows), asOf: '2026-12-08T12:00:00Z' });
    expect(quiet.status).toBe('success');
    expect(xWrites(flows)).toHaveLength(3);
  });
});

describe(`blueprint ${R}`, () => {
  it('sets the level price item by item, every level carried; a break R-Series cannot hold is finance’s', async () => {
    const flows = await sandboxFlows();
    // base-list goes to the Online level (3). The mug's Online price is 4.50, the towel's 5.
    seed(flows, 'base-list', {
      'MUG-ENAMEL-WHT': [
        [1, 4.1],
        [24, 3.9],
      ],
      'TOWEL-LINEN-NAT': [[1, 5]],
    });
    const first = await flows.run(R, { client: client(flows), asOf: AS_OF });
    expect(first.status).toBe('success');
    expect(shapeRun(first, 'Map prices to R-Series price levels').notes[0]).toBe(
      '3 in -> 1 passed, 1 skipped, 1 exceptions',
    );
    const r = flows.sandbox.fakes.lightspeedR;
    const writes = () => r.calls.filter((call) => call.startsWith('PUT '));
    expect(writes()).toEqual([expect.stringMatching(/^PUT \/API\/V3\/Account\/\d+\/Item\/41\.json/)]);
    const mug = r.items.find((item) => item.itemID === '41')!;
    expect(JSON.stringify(mug.Prices)).toContain('{"amount":"4.1","useTypeID":"3","useType":"Online"}');
    // Default and MSRP went in the same body at their amounts, so they are as they were.
    expect(JSON.stringify(mug.Prices)).toContain('{"amount":"4.50","useTypeID":"1","useType":"Default"}');
    expect(warnings(first)).toEqual([
      expect.stringMatching(
        /^Price MUG-ENAMEL-WHT@base-list not written to the store \(new\), PRICE_BREAK_NOT_SUPPORTED/,
      ),
    ]);

    // The next hour every level is as SparkLayer says: nothing is written, nothing told again.
    const again = await flows.run(R, { client: client(flows), asOf: '2026-12-08T10:00:00Z' });
    expect(again.status).toBe('success');
    expect(writes()).toHaveLength(1);
    expect(warnings(again)).toEqual([]);
  });

  it('queues an item R-Series refuses for integration, and writes it the next run', async () => {
    const flows = await sandboxFlows();
    seed(flows, 'base-list', { 'TOWEL-LINEN-NAT': [[1, 5.5]] });
    const r = flows.sandbox.fakes.lightspeedR;
    r.failNext('PUT /API/V3/Account/12345/Item/42.json', { status: 503 }, 3);
    const refused = await flows.run(R, { client: client(flows), asOf: AS_OF });

    // Patchworks' most retries (2) then the catch route: the item's body whole, with R-Series' answer.
    expect(refused.status).toBe('partial_success');
    expect(shapeRun(refused, 'Catch refused writes').failed).toBe(1);
    expect(JSON.stringify(r.items.find((item) => item.itemID === '42')!.Prices)).toContain(
      '"amount":"5","useTypeID":"3"',
    );
    expect(warnings(refused)).toEqual([
      expect.stringMatching(
        /not written to the store \(new\), WRITE_REFUSED: Update the R-Series item’s prices: HTTP 503/,
      ),
    ]);

    // The store itself is the record of what was written: the next run finds the towel still at 5 and writes it.
    const next = await flows.run(R, { client: client(flows), asOf: '2026-12-08T10:00:00Z' });
    expect(next.status).toBe('success');
    expect(JSON.stringify(r.items.find((item) => item.itemID === '42')!.Prices)).toContain(
      '{"amount":"5.5","useTypeID":"3","useType":"Online"}',
    );
    const queue = JSON.parse(flows.caches.read('flow', R, 'store-price-state', 'queue')[0]!) as { entries: unknown[] };
    expect(queue.entries).toEqual([]);
  });
});

// R-Series sales (fixtures/lightspeed-r/fulfilments, built from Lightspeed's documentation) read into canonical
// fulfilments and returns: a completed sale the pack booked as shipped in full, linked to its SparkLayer purchase by
// the internal note's marker; a completed refund linked to the purchase through its lines' parentSaleLineID and the
// original sale. A record that cannot be read throws, naming the sale and the field.
import { describe, expect, it } from 'vitest';
import { loadFixture } from '../../../contracts/fixtures.js';
import {
  fulfilmentFromLightspeedR,
  isRefundSale,
  itemSkus,
  originalSaleLinks,
  returnFromLightspeedR,
  type LightspeedRFulfilmentLinks,
} from '../../../connectors/lightspeed-r/fulfilment-reader.js';
import { saleAnswerSchema } from '../../../connectors/lightspeed-r/schemas.js';
import { FulfilmentReadError, purchaseProgress } from '../../../model/fulfilment.js';
import { toDecimal } from '../../../model/money.js';
import { ROOT } from '../../support/steps.js';

const fixture = async (file: string) => (await loadFixture(ROOT, `fixtures/lightspeed-r/fulfilments/${file}`)).body;
const sale = (body: unknown) => (body as { Sale: Record<string, unknown> }).Sale;

const bodies = {
  booked: await fixture('sale.booked-completed.json'),
  refund: await fixture('sale.partial-refund.json'),
};
const booked = sale(bodies.booked);
const refund = sale(bodies.refund);

const links: LightspeedRFulfilmentLinks = {
  itemSkus: itemSkus([
    { itemID: '12', customSku: '', systemSku: '210000000012' },
    { itemID: '28', customSku: '787878-blk-m', systemSku: '210000000028' },
    { itemID: '45', customSku: 'SHIPPING', systemSku: '210000000045' },
  ]),
  ...originalSaleLinks([bodies.booked]),
  currency: 'USD',
  shippingItemId: '45',
};

/** A copy of a record with `path` (dot-separated) removed or replaced. */
function changed(source: Record<string, unknown>, path: string, value?: unknown): Record<string, unknown> {
  const copy = structuredClone(source);
  const keys = path.split('.');
  const last = keys.pop()!;
  const parent = keys.reduce<Record<string, unknown>>((at, key) => at[key] as Record<string, unknown>, copy);
  if (value === undefined) delete parent[last];
  else parent[last] = value;
  return copy;
}

const plain = (lines: { sku: string; quantity: { toFixed(): string }; location?: string }[]) =>
  lines.map((l) => ({ ...l, quantity: l.quantity.toFixed() }));

describe('Lightspeed R-Series fulfilment reader', () => {
  it.each(Object.entries(bodies))('the %s fixture parses as a GET Sale/{saleID} answer', (_, body) => {
    expect(saleAnswerSchema.safeParse(body).error).toBeUndefined();
  });

  it('maps items to the pack’s SKU (customSku, else systemSku) and links booked sales and their lines', () => {
    expect([...links.itemSkus!]).toEqual([
      ['12', '210000000012'],
      ['28', '787878-blk-m'],
      ['45', 'SHIPPING'],
    ]);
    expect([...links.originalSales!]).toEqual([['281', 'sl-1001']]);
    expect([...links.originalSaleLines!]).toEqual([
      ['301', '281'],
      ['302', '281'],
      ['303', '281'],
    ]);
    // A sale that names no purchase in its internal note is not the pack's.
    expect(originalSaleLinks([changed(booked, 'SaleNotes.InternalNote.note', 'walk-in')]).originalSales).toEqual(
      new Map(),
    );
  });

  it('reads the completed sale as shipped in full at completeTime, from its shop, without shipping', () => {
    const fulfilment = fulfilmentFromLightspeedR(bodies.booked, links)!;
    expect({ ...fulfilment, lines: plain(fulfilment.lines) }).toEqual({
      purchase_id: 'sl-1001',
      transaction_id: '281',
      source: 'lightspeed-r',
      status: 'shipped',
      shipped_at: '2026-11-20T09:15:04+00:00',
      location: '1',
      lines: [
        { sku: '210000000012', quantity: '3' },
        { sku: '787878-blk-m', quantity: '1' },
      ],
    });
    for (const field of ['carrier', 'tracking_number', 'tracking_url']) expect(fulfilment).not.toHaveProperty(field);
  });

  it('gives no fulfilment for an open, voided or archived sale, nor before its ShipTo has shipped', () => {
    expect(fulfilmentFromLightspeedR({ ...booked, completed: 'false' }, links)).toBeUndefined();
    expect(fulfilmentFromLightspeedR({ ...booked, voided: 'true' }, links)).toBeUndefined();
    expect(fulfilmentFromLightspeedR({ ...booked, archived: 'true' }, links)).toBeUndefined();
    const shipTo = { shipToID: '3', shipped: 'false', timeStamp: '2026-11-22T08:00:00+00:00', saleID: '281' };
    expect(fulfilmentFromLightspeedR({ ...booked, shipToID: '3', ShipTo: shipTo }, links)).toBeUndefined();
    const shipped = fulfilmentFromLightspeedR(
      { ...booked, shipToID: '3', ShipTo: { ...shipTo, shipped: 'true' } },
      links,
    );
    expect(shipped?.shipped_at).toBe('2026-11-22T08:00:00+00:00');
  });

  it('knows an item not in item_skus by its loaded Item relation', () => {
    const withItem = changed(booked, 'SaleLines.SaleLine.1.Item', { itemID: '28', customSku: 'ROPE-60' });
    const fulfilment = fulfilmentFromLightspeedR(withItem, { ...links, itemSkus: new Map([['12', '210000000012']]) })!;
    expect(plain(fulfilment.lines)).toContainEqual({ sku: 'ROPE-60', quantity: '1' });
  });

  it('reads the partial refund for the original sale’s purchase, with its refund and no reason', () => {
    const ret = returnFromLightspeedR(bodies.refund, links)!;
    expect({ ...ret, lines: plain(ret.lines), refund: ret.refund?.toString() }).toEqual({
      purchase_id: 'sl-1001',
      transaction_id: '282',
      original_transaction_id: '281',
      source: 'lightspeed-r',
      returned_at: '2026-12-01T10:34:12+00:00',
      location: '1',
      lines: [{ sku: '210000000012', quantity: '1' }],
      refund: 'USD 11.49',
    });
    expect(ret).not.toHaveProperty('reason');
    expect(ret.refund?.text()).toBe('11.49');
  });

  it('gives no return for an open or voided refund, and tells refunds from sales', () => {
    expect(returnFromLightspeedR({ ...refund, completed: 'false' }, links)).toBeUndefined();
    expect(returnFromLightspeedR({ ...refund, voided: 'true' }, links)).toBeUndefined();
    expect([bodies.refund, bodies.booked].map(isRefundSale)).toEqual([true, false]);
  });

  it('gives records the model adds up: sl-1001 shipped in full, one of item 12 back, within what shipped', () => {
    const ordered = [
      { sku: '210000000012', quantity: toDecimal(3, 'quantity') },
      { sku: '787878-blk-m', quantity: toDecimal(1, 'quantity') },
    ];
    const progress = purchaseProgress(
      'sl-1001',
      ordered,
      [bodies.booked, booked].map((body) => fulfilmentFromLightspeedR(body, links)!),
      [returnFromLightspeedR(bodies.refund, links)!, returnFromLightspeedR(refund, links)!],
    );
    expect(
      progress.lines.map((l) => [l.sku, l.ordered.toFixed(), l.fulfilled.toFixed(), l.returned.toFixed()]),
    ).toEqual([
      ['210000000012', '3', '3', '1'],
      ['787878-blk-m', '1', '1', '0'],
    ]);
    expect(progress.issues).toEqual([]);
    expect(progress.complete).toBe(true);
    expect(progress.fulfilments).toEqual(['281']);
    expect(progress.returns).toEqual(['282']);
  });

  it('throws for a refund whose original line or sale the pack did not book, naming the field that links it', () => {
    expect(() => returnFromLightspeedR(changed(refund, 'SaleLines.SaleLine.parentSaleLineID', '999'), links)).toThrow(
      'R-Series sale 282: SaleLines.0.parentSaleLineID: line 999 is on no sale the pack booked ' +
        '(not in original_sale_lines)',
    );
    expect(() => returnFromLightspeedR(refund, { ...links, originalSales: new Map() })).toThrow(
      'R-Series sale 282: SaleLines.0.parentSaleLineID: sale 281 has no SparkLayer purchase ' +
        '(not a sale the pack booked)',
    );
    expect(() => returnFromLightspeedR(refund, { ...links, originalSaleLines: undefined })).toThrow(
      FulfilmentReadError,
    );
  });

  const SALE = 'R-Series sale 281';
  const REFUND = 'R-Series sale 282';
  it.each([
    { record: 'sale', path: 'saleID', value: undefined, message: 'R-Series sale (no id): saleID: missing' },
    { record: 'sale', path: 'completed', value: undefined, message: `${SALE}: completed: missing` },
    { record: 'sale', path: 'completed', value: 'yes', message: `${SALE}: completed: must be "true" or "false"` },
    { record: 'sale', path: 'SaleLines', value: undefined, message: `${SALE}: SaleLines: missing` },
    {
      record: 'sale',
      path: 'completeTime',
      value: undefined,
      message: `${SALE}: completeTime: missing (the completed sale's time)`,
    },
    {
      record: 'sale',
      path: 'referenceNumberSource',
      value: 'Magento',
      message: `${SALE}: referenceNumberSource: "Magento" is not SparkLayer (not a sale the pack booked)`,
    },
    {
      record: 'sale',
      path: 'SaleNotes',
      value: undefined,
      message: `${SALE}: SaleNotes.InternalNote.note: missing (load SaleNotes: it names the purchase)`,
    },
    {
      record: 'sale',
      path: 'SaleNotes.InternalNote.note',
      value: 'PO PO-7731',
      message: `${SALE}: SaleNotes.InternalNote.note: names no SparkLayer purchase (not a sale the pack booked)`,
    },
    {
      record: 'sale',
      path: 'shipToID',
      value: '3',
      message: `${SALE}: ShipTo: missing (shipToID 3: load the ShipTo relation to know whether it shipped)`,
    },
    {
      record: 'sale',
      path: 'SaleLines.SaleLine.0.unitQuantity',
      value: undefined,
      message: `${SALE}: SaleLines.0.unitQuantity: missing`,
    },
    {
      record: 'sale',
      path: 'SaleLines.SaleLine.0.unitQuantity',
      value: 'three',
      message: `${SALE}: SaleLines.0.unitQuantity: must be an integer ("three")`,
    },
    {
      record: 'sale',
      path: 'SaleLines.SaleLine.0.unitQuantity',
      value: '-3',
      message: `${SALE}: SaleLines.0.unitQuantity: -3 is negative`,
    },
    {
      record: 'sale',
      path: 'SaleLines.SaleLine.1.itemID',
      value: undefined,
      message: `${SALE}: SaleLines.1.itemID: missing`,
    },
    {
      record: 'sale',
      path: 'SaleLines.SaleLine.1.itemID',
      value: '77',
      message: `${SALE}: SaleLines.1.itemID: item 77 has no SKU (not in item_skus, and no Item loaded with one)`,
    },
    {
      record: 'sale',
      path: 'SaleLines.SaleLine.1.parentSaleLineID',
      value: '250',
      message: `${SALE}: SaleLines.1.parentSaleLineID: it refunds line 250, not a fulfilment (read it as a return)`,
    },
    {
      record: 'refund',
      path: 'SaleLines.SaleLine.parentSaleLineID',
      value: '0',
      message:
        `${REFUND}: SaleLines.parentSaleLineID: missing on every line ` +
        '(a refund not linked to a sale has no purchase)',
    },
    {
      record: 'refund',
      path: 'completeTime',
      value: undefined,
      message: `${REFUND}: completeTime: missing (the completed refund's time)`,
    },
    {
      record: 'refund',
      path: 'SaleLines.SaleLine.unitQuantity',
      value: '1',
      message: `${REFUND}: SaleLines.0.unitQuantity: 1 is positive on a refund line`,
    },
    {
      record: 'refund',
      path: 'total',
      value: '5',
      message: `${REFUND}: total: 5 is positive (the sale charges the customer, it refunds nothing)`,
    },
    {
      record: 'refund',
      path: 'total',
      value: 'eleven',
      message: `${REFUND}: total: "eleven" is not a decimal number ("eleven")`,
    },
  ])('throws for a $record whose $path is $value, naming it', ({ record, path, value, message }) => {
    const read = () =>
      record === 'sale'
        ? fulfilmentFromLightspeedR(changed(booked, path, value), links)
        : returnFromLightspeedR(changed(refund, path, value), links);
    expect(read).toThrow(FulfilmentReadError);
    expect(read).toThrow(message);
  });

  it('throws for a refund line with no parent beside one with a parent, and for a refund without currency', () => {
    const lines = (refund.SaleLines as { SaleLine: Record<string, unknown> }).SaleLine;
    const mixed = changed(refund, 'SaleLines.SaleLine', [
      lines,
      { ...lines, saleLineID: '312', parentSaleLineID: '0' },
    ]);
    expect(() => returnFromLightspeedR(mixed, links)).toThrow(
      `${REFUND}: SaleLines.1.parentSaleLineID: missing (a refund line not linked to the original sale's line)`,
    );
    expect(() => returnFromLightspeedR(refund, { ...links, currency: undefined })).toThrow(
      `${REFUND}: total: the refund has no currency (R-Series sales carry none; pass the store's currency)`,
    );
    expect(() => returnFromLightspeedR(refund, { ...links, currency: 'dollars' })).toThrow(FulfilmentReadError);
  });
});

// map-order-to-netsuite as a whole: the shared map-order step with the NetSuite mapper and its settings.
import Big from 'big.js';
import { describe, expect, it } from 'vitest';
import { toCanonicalOrder } from '../../../../connectors/sparklayer/canonical-order.js';
import { purchaseSchema } from '../../../../connectors/sparklayer/schemas.js';
import { orderTotals } from '../../../../model/order.js';
import { toPatchworksHandler } from '../../../../runtime/step.js';
import { step } from '../../../../connectors/netsuite/map-order/step.js';
import { fixturePurchases, purchase } from '../../../support/purchases.js';
import { run } from '../../../support/run.js';

const VARIABLES = {
  unit_map: 'left_value,right_value\r\nMUG-ENAMEL-CASE12 , id:98*12\r\nTOWEL-LINEN-NAT,id:77\r\nJUG-STONE-1L,id:55\r\n',
  tax_codes: 'left_value,right_value\r\n20,2:15\r\n',
};
const documented = fixturePurchases().find((p) => p.type === 'order')!;
const withAccount = (fields: Record<string, unknown> = {}) => ({ ...documented, erp_account: '110', ...fields });
type Body = {
  externalId: string;
  entity: { id: string };
  otherRefNum?: string;
  orderStatus: string;
  memo: string;
  shippingCost: number;
  item: { items: Array<{ item: { id: string }; quantity: number; rate: number; amount: number }> };
  taxDetails?: { items: Array<{ taxAmount: number }> };
};
const mapOne = (record: Record<string, unknown>, variables: Record<string, string> = VARIABLES) => {
  const { envelope } = run(step, [record], { variables });
  expect(envelope.exceptions).toEqual([]);
  return envelope.records[0] as Body;
};

describe('map-order-to-netsuite', () => {
  it('books the order to the account, with the PO in otherRefNum and the purchase id as externalId', () => {
    const body = mapOne(withAccount());
    expect(body).toMatchObject({
      externalId: (documented.purchase_identifiers as { sparklayer: string }).sparklayer,
      entity: { id: '110' },
      otherRefNum: 'PO-4471',
    });
  });

  it('converts the case of 12 into 12 eaches and keeps every total to the penny', () => {
    const body = mapOne(withAccount());
    expect(body.item.items.map((l) => [l.item.id, l.quantity, l.rate, l.amount])).toEqual([
      ['98', 24, 4, 96],
      ['77', 12, 4.5, 54],
    ]);
    const totals = orderTotals(toCanonicalOrder(purchaseSchema.parse(documented)));
    const sum = (values: number[]) => values.reduce((a, v) => a.plus(String(v)), new Big(0)).toFixed(2);
    expect(sum([...body.item.items.map((l) => l.amount), body.shippingCost])).toBe(totals.net.text());
    expect(sum(body.taxDetails!.items.map((t) => t.taxAmount))).toBe(totals.tax.text());
  });

  it('hold and release differ only for on-account orders', () => {
    const hold = { ...VARIABLES, on_account_mode: 'hold' };
    const release = { ...VARIABLES, on_account_mode: 'release' };
    const onAccount = withAccount({ payment_method: 'on_account' });
    expect(mapOne(onAccount, hold).orderStatus).toBe('A');
    expect(mapOne(onAccount, release).orderStatus).toBe('B');
    expect(mapOne(onAccount, hold).memo).toContain('held for finance');
    expect(mapOne(onAccount, release).memo).toContain('Pay on Account');
    for (const method of ['invoice', 'platform_upfront', 'paymentByInvoice', '']) {
      const other = withAccount({ payment_method: method });
      expect(mapOne(other, hold)).toEqual(mapOne(other, release));
      expect(mapOne(other, hold).orderStatus).toBe('B');
    }
  });

  it('makes an order whose SKU has no NetSuite item an UNRESOLVED_ITEM exception, never a guessed item', () => {
    const { envelope } = run(step, [withAccount()], {
      variables: { ...VARIABLES, unit_map: 'left_value,right_value\nMUG-ENAMEL-CASE12,id:98*12' },
    });
    expect(envelope.exceptions.map((e) => [e.code, e.message])).toEqual([
      ['UNRESOLVED_ITEM', 'line 2: SKU TOWEL-LINEN-NAT has no NetSuite item internal ID'],
    ]);
  });

  it('resolves items through item_ids after pack conversion', () => {
    const body = mapOne(withAccount(), {
      unit_map: 'left_value,right_value\nMUG-ENAMEL-CASE12,MUG-ENAMEL-WHT*12',
      item_ids: '{"MUG-ENAMEL-WHT": "98", "TOWEL-LINEN-NAT": "77"}',
      tax_codes: VARIABLES.tax_codes,
    });
    expect(body.item.items.map((l) => [l.item.id, l.quantity])).toEqual([
      ['98', 24],
      ['77', 12],
    ]);
  });

  it('makes an order with a tax rate that has no NetSuite tax code an exception naming the rate', () => {
    const { envelope } = run(step, [withAccount()], { variables: { unit_map: VARIABLES.unit_map } });
    expect(envelope.exceptions[0]).toMatchObject({ code: 'UNMAPPED_TAX_CODE' });
    expect(envelope.exceptions[0]!.message).toContain('20');
  });

  it('fails the whole step on a tax code it cannot read', async () => {
    await expect(
      toPatchworksHandler(step)({ payload: '[]', variables: { tax_codes: 'left_value,right_value\n20,VAT' } }),
    ).rejects.toThrow(
      'map-order-to-netsuite: setting "tax_codes" is not valid: the table cannot be read: line 2: "20" → ' +
        '"VAT": write RATE,TYPE:CODE with internal IDs, e.g. 20,2:15',
    );
  });

  it('refuses an order with no account, and one whose account is not a NetSuite internal ID', () => {
    const { envelope } = run(step, [purchase({ id: 'a' }), withAccount({ erp_account: 'EXAMPLE001' })], {
      variables: VARIABLES,
    });
    expect(envelope.exceptions.map((e) => e.code)).toEqual(['MISSING_ACCOUNT', 'UNRESOLVED_ACCOUNT']);
  });
});

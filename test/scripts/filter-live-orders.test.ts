import { describe, expect, it } from 'vitest';
import { PURCHASE_TYPES } from '../../connectors/sparklayer/purchase.js';
import { step } from '../../scripts/filter-live-orders/step.js';
import { fixturePurchases, purchase } from '../support/purchases.js';
import { ids, run } from '../support/run.js';
import { CART_IDS, shopify, withoutFirstSku } from '../support/shopify-orders.js';

describe('filter-live-orders', () => {
  it('passes the order and skips every other documented type with reason type:<type>', () => {
    const all = fixturePurchases();
    expect(all.map((p) => p.type).sort()).toEqual([...PURCHASE_TYPES].sort());

    const { envelope } = run(step, all);

    expect(envelope.records).toEqual(all.filter((p) => p.type === 'order'));
    expect(envelope.skipped.map((s) => s.reason).sort()).toEqual([
      'type:awaiting_approval',
      'type:cart',
      'type:order_unconfirmed',
      'type:quote',
    ]);
    expect(envelope.exceptions).toEqual([]);
  });

  it('passes records through byte for byte: same fields, same order, nothing added', () => {
    const order = purchase({ id: 'a' });
    const { data } = run(step, [order]);
    expect(JSON.stringify(JSON.parse(data.payload!).records[0])).toBe(JSON.stringify(order));
  });

  it('lets live_types widen what counts as live', () => {
    const input = [
      purchase({ id: 'a', type: 'order' }),
      purchase({ id: 'b', type: 'order_unconfirmed' }),
      purchase({ id: 'c', type: 'quote' }),
    ];
    const { envelope } = run(step, input, { variables: { live_types: 'order, order_unconfirmed' } });
    expect(ids(envelope.records)).toEqual(['a', 'b']);
    expect(envelope.skipped).toEqual([{ id: 'c', step: 'filter-live-orders', reason: 'type:quote' }]);
  });

  it.each([
    ['an undocumented type', 'draft_order', '"draft_order" is not a SparkLayer purchase type'],
    ['a type in the wrong case', 'ORDER', '"ORDER" is not a SparkLayer purchase type'],
    ['a type that is not a string', 7, '7 is not a SparkLayer purchase type'],
    ['no type at all', undefined, 'type: missing'],
  ])('raises UNKNOWN_PURCHASE_TYPE for %s, keeping the whole record', (_, type, message) => {
    const record = purchase({ id: 'x', fields: { type } });
    const { envelope } = run(step, [record]);
    expect(envelope.records).toEqual([]);
    expect(envelope.exceptions).toHaveLength(1);
    expect(envelope.exceptions[0]).toMatchObject({
      id: 'x',
      step: 'filter-live-orders',
      code: 'UNKNOWN_PURCHASE_TYPE',
      record,
    });
    expect(envelope.exceptions[0]!.message).toContain(message);
  });

  it('skips a second record with an id already seen, whatever its type', () => {
    const input = [
      purchase({ id: 'a', type: 'quote' }),
      purchase({ id: 'a', type: 'order' }),
      purchase({ id: 'b' }),
      purchase({ id: 'b' }),
    ];
    const { envelope } = run(step, input);
    expect(ids(envelope.records)).toEqual(['b']);
    expect(envelope.skipped.map((s) => [s.id, s.reason])).toEqual([
      ['a', 'type:quote'],
      ['a', 'duplicate'],
      ['b', 'duplicate'],
    ]);
  });

  it('names a purchase by sparklayer id, then platform, then visible', () => {
    const input = [
      purchase({ ids: { sparklayer: 'uuid-1', platform: '111', visible: 'V1' }, type: 'quote' }),
      purchase({ ids: { sparklayer: '', platform: '222', visible: 'V2' }, type: 'quote' }),
      purchase({ ids: { platform: ' ', visible: 'V3' }, type: 'quote' }),
    ];
    expect(run(step, input).envelope.skipped.map((s) => s.id)).toEqual(['uuid-1', '222', 'V3']);
  });

  it('raises MISSING_PURCHASE_ID for a purchase with no usable identifier', () => {
    const record = purchase({ ids: { internal: 'ERP-1' } });
    const { envelope } = run(step, [record, purchase({ fields: { purchase_identifiers: undefined } })]);
    expect(envelope.exceptions.map((e) => [e.id, e.code])).toEqual([
      [null, 'MISSING_PURCHASE_ID'],
      [null, 'MISSING_PURCHASE_ID'],
    ]);
    expect(envelope.exceptions[0]!.record).toEqual(record);
    expect(envelope.exceptions[1]!.message).toContain('purchase_identifiers: missing');
  });

  describe('live_statuses', () => {
    const withStatus = (id: string, fields: Record<string, unknown>) => purchase({ id, fields });

    it('passes listed statuses and skips others with reason status:<status>', () => {
      const input = [
        withStatus('a', { calculated_fulfilment_status: 'processing' }),
        withStatus('b', { calculated_fulfilment_status: 'cancelled' }),
        withStatus('c', { status: 'incoming', calculated_fulfilment_status: 'cancelled' }),
      ];
      const { envelope } = run(step, input, { variables: { live_statuses: 'processing,incoming' } });
      expect(ids(envelope.records)).toEqual(['a', 'c']);
      expect(envelope.skipped.map((s) => [s.id, s.reason])).toEqual([['b', 'status:cancelled']]);
    });

    it('checks status only for live types: a quote is skipped for its type first', () => {
      const { envelope } = run(
        step,
        [purchase({ id: 'q', type: 'quote', fields: { calculated_fulfilment_status: 'x' } })],
        {
          variables: { live_statuses: 'processing' },
        },
      );
      expect(envelope.skipped[0]!.reason).toBe('type:quote');
    });

    it('raises MISSING_STATUS when a status is required and the purchase has none', () => {
      const record = purchase({ id: 'a', fields: { calculated_fulfilment_status: undefined } });
      const { envelope } = run(step, [record], { variables: { live_statuses: 'processing' } });
      expect(envelope.exceptions).toEqual([expect.objectContaining({ id: 'a', code: 'MISSING_STATUS', record })]);
    });

    it('does no status check when live_statuses is empty', () => {
      const record = purchase({ id: 'a', fields: { calculated_fulfilment_status: undefined } });
      expect(run(step, [record]).envelope.records).toHaveLength(1);
    });
  });

  describe('which copy of a repeat goes on', () => {
    it('passes B2B01123 once, though the sandbox serves it twice with only the documented dates', () => {
      const served = [
        ...fixturePurchases(),
        ...fixturePurchases('fixtures/sparklayer/purchases/list.sandbox-edge-cases.json'),
      ];
      const b2b01123 = (p: Record<string, unknown>) =>
        (p.purchase_identifiers as Record<string, unknown> | undefined)?.visible === 'B2B01123';
      expect(served.filter(b2b01123)).toHaveLength(2);
      for (const copy of served.filter(b2b01123))
        expect(Object.keys(copy.dates as object)).not.toContain('last_updated');
      const { envelope } = run(step, served);
      expect(envelope.records.filter((r) => b2b01123(r as Record<string, unknown>))).toEqual([served.find(b2b01123)]);
      expect(envelope.skipped.filter((s) => s.reason === 'duplicate')).toHaveLength(1);
    });

    const copy = (id: string, updatedAt: string | undefined, extra: Record<string, unknown> = {}) =>
      purchase({
        id,
        fields: {
          // Only the documented dates: the fixture's, with updated_at and revision_date moved together.
          dates: { created_at: '2026-11-20T09:12:44+00:00', updated_at: updatedAt },
          revision_date: updatedAt,
          ...extra,
        },
      });

    it('keeps the copy that changed later by dates.updated_at, wherever it comes', () => {
      const stale = copy('a', '2026-11-22T08:00:00+00:00', { customer_reference: 'PO-OLD' });
      const fresh = copy('a', '2026-11-22T08:05:00+00:00', { customer_reference: 'PO-NEW' });
      for (const input of [
        [stale, fresh],
        [fresh, stale],
      ]) {
        const { envelope } = run(step, input);
        expect(envelope.records).toEqual([fresh]);
        expect(envelope.skipped).toEqual([{ id: 'a', step: 'filter-live-orders', reason: 'duplicate' }]);
      }
    });

    it('compares instants, not text: the same purchase written in another offset is no fresher', () => {
      const first = copy('a', '2026-11-22T08:00:00+00:00', { customer_reference: 'FIRST' });
      const second = copy('a', '2026-11-22T10:00:00+02:00', { customer_reference: 'SECOND' });
      expect(run(step, [first, second]).envelope.records).toEqual([first]);
    });

    it('keeps the first copy when a time is missing or unreadable: none is taken as unchanged or older', () => {
      const timed = copy('a', '2026-11-22T08:05:00+00:00', { customer_reference: 'TIMED' });
      const untimed = copy('a', undefined, { customer_reference: 'UNTIMED' });
      const impossible = copy('a', '2026-02-30T08:00:00+00:00', { customer_reference: 'IMPOSSIBLE' });
      expect(run(step, [untimed, timed]).envelope.records).toEqual([untimed]);
      expect(run(step, [timed, untimed]).envelope.records).toEqual([timed]);
      expect(run(step, [impossible, timed]).envelope.records).toEqual([impossible]);
      expect(run(step, [timed, impossible, copy('b', undefined)]).envelope.records.map((r) => ids([r])[0])).toEqual([
        'a',
        'b',
      ]);
    });

    it('judges the kept copy as usual: a fresher copy that became a quote is skipped for its type', () => {
      const order = copy('a', '2026-11-22T08:00:00+00:00');
      const quote = { ...copy('a', '2026-11-22T08:05:00+00:00'), type: 'quote' };
      const { envelope } = run(step, [order, quote]);
      expect(envelope.records).toEqual([]);
      expect(envelope.skipped.map((s) => s.reason)).toEqual(['duplicate', 'type:quote']);
    });
  });
});

describe('filter-live-orders with order_format (Shopify orders booked by SparkLayer checkout)', () => {
  const { graphql, rest } = shopify;
  it.each([
    ['shopify_graphql', 'the on-account draft', graphql.b2bDraft, { passed: true }],
    ['shopify_graphql', 'the paid card order', graphql.cardOrder, { passed: true }],
    ['shopify_graphql', 'the quote draft', graphql.quoteDraft, { skipped: 'type:quote' }],
    ['shopify_rest', 'the on-account draft', rest.b2bDraft, { passed: true }],
    ['shopify_rest', 'the paid card order', rest.cardOrder, { passed: true }],
  ] as const)('%s: %s', (format, _, record, expected) => {
    const { envelope } = run(step, [record], { variables: { order_format: format } });
    expect(envelope.exceptions).toEqual([]);
    // What passes is the Shopify record as it came.
    expect(envelope.records).toEqual('passed' in expected ? [record] : []);
    expect(envelope.skipped.map((entry) => entry.reason)).toEqual('skipped' in expected ? [expected.skipped] : []);
  });

  it('skips the order a draft became as a duplicate: both carry the same sparkCartId', () => {
    const completed = { ...graphql.b2bDraft, id: 'gid://shopify/Order/5600', name: '#1050' };
    const { envelope } = run(step, [graphql.b2bDraft, completed], { variables: { order_format: 'shopify_graphql' } });
    expect(envelope.records).toEqual([graphql.b2bDraft]);
    expect(envelope.skipped).toEqual([{ id: CART_IDS.b2bDraft, step: 'filter-live-orders', reason: 'duplicate' }]);
  });

  it.each([
    ['shopify_graphql', graphql.cardOrder, graphql.b2bDraft, 'lineItems[0].sku: missing'],
    ['shopify_rest', rest.cardOrder, rest.b2bDraft, 'line_items[0].sku: missing'],
  ] as const)(
    '%s: a record that cannot be read is an exception, kept whole and naming the field; its neighbour passes',
    (format, record, neighbour, field) => {
      const broken = withoutFirstSku(record);
      const { envelope } = run(step, [broken, neighbour], { variables: { order_format: format } });
      expect(envelope.records).toEqual([neighbour]);
      expect(envelope.exceptions).toEqual([
        expect.objectContaining({ id: CART_IDS.cardOrder, code: 'INVALID_RECORD', record: broken }),
      ]);
      expect(envelope.exceptions[0]!.message).toContain(field);
    },
  );

  it('an order without sparkCartId (not from SparkLayer) is MISSING_PURCHASE_ID, named by its Shopify name', () => {
    const foreign = { ...graphql.cardOrder, customAttributes: [] };
    const { envelope } = run(step, [foreign, graphql.b2bDraft], { variables: { order_format: 'shopify_graphql' } });
    expect(envelope.records).toEqual([graphql.b2bDraft]);
    expect(envelope.exceptions).toEqual([
      expect.objectContaining({ id: '#1042', code: 'MISSING_PURCHASE_ID', record: foreign }),
    ]);
    expect(envelope.exceptions[0]!.message).toContain('customAttributes: no sparkCartId');
  });

  it('a record in the other Shopify shape, or not an object, is an exception, not a failed step', () => {
    const { envelope } = run(step, ['#1042', graphql.b2bDraft, rest.b2bDraft], {
      variables: { order_format: 'shopify_rest' },
    });
    expect(envelope.exceptions.map(({ id, code, message }) => ({ id, code, message }))).toEqual([
      { id: null, code: 'INVALID_RECORD', message: expect.stringContaining('expected object') },
      { id: '#D11', code: 'INVALID_RECORD', message: expect.stringMatching(/^currency: missing/) },
    ]);
    expect(envelope.records).toEqual([rest.b2bDraft]);
  });
});

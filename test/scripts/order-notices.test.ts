// Orders that continue but that an owner must act on: Pay on Account orders held for finance and orders with no PO
// number (po_required), raised by the map-order steps as notices and carried forward by later steps.
import { describe, expect, it } from 'vitest';
import { fitNotifyVariable, NOTIFY_VARIABLE_CHARS } from '../../runtime/caps.js';
import { sample } from '../../connectors/netsuite/map-order/sample.js';
import { step as mapToNetSuite } from '../../connectors/netsuite/map-order/step.js';
import { step as mapToLightspeedX } from '../../connectors/lightspeed-x/map-order/step.js';
import { step as filterLiveOrders } from '../../scripts/filter-live-orders/step.js';
import { run } from '../support/run.js';

const booked = sample.records[0] as Record<string, unknown>;
const withoutPo = { ...booked, customer_reference: undefined };

describe('map-order notices', () => {
  it('tells finance about a Pay on Account order held, with the order, company and amount', () => {
    const { envelope } = run(mapToNetSuite, [booked], { variables: sample.variables });
    expect(envelope.records).toHaveLength(1);
    expect(envelope.notices).toEqual([
      {
        id: 'sl-1001',
        step: 'map-order-to-netsuite',
        code: 'ON_ACCOUNT_HELD',
        owner: 'finance',
        message: expect.stringMatching(
          /^B2B01123 held for finance: GBP \d+\.\d{2}, account 110, company 0b5e4d3c-2a19-4f08-9e7d-6c5b4a392817$/,
        ),
      },
    ]);
    expect(envelope.notices![0]!.message.length).toBeLessThanOrEqual(NOTIFY_VARIABLE_CHARS);
  });

  it('raises no notice for an order released, or paid up front', () => {
    expect(
      run(mapToNetSuite, [booked], { variables: { ...sample.variables, on_account_mode: 'release' } }).envelope.notices,
    ).toEqual([]);
    const upfront = { ...booked, payment_method: 'platform_upfront' };
    expect(run(mapToNetSuite, [upfront], { variables: sample.variables }).envelope.notices).toEqual([]);
  });

  it('books an order without a PO and flags it to customer service by default (po_required=flag)', () => {
    const { envelope } = run(mapToNetSuite, [withoutPo], {
      variables: { ...sample.variables, on_account_mode: 'release' },
    });
    expect(envelope.records).toHaveLength(1);
    expect(envelope.notices).toEqual([
      expect.objectContaining({ id: 'sl-1001', code: 'NO_PO_NUMBER', owner: 'customer service' }),
    ]);
  });

  it('does not book an order without a PO with po_required=exception, and keeps it whole', () => {
    const { envelope } = run(mapToNetSuite, [withoutPo], {
      variables: { ...sample.variables, po_required: 'exception' },
    });
    expect(envelope.records).toEqual([]);
    expect(envelope.exceptions).toEqual([
      expect.objectContaining({
        id: 'sl-1001',
        code: 'NO_PO_NUMBER',
        owner: 'customer service',
        record: JSON.parse(JSON.stringify(withoutPo)),
      }),
    ]);
  });

  it('says nothing with po_required=ignore, and refuses a mode it does not know', () => {
    const variables = { ...sample.variables, on_account_mode: 'release', po_required: 'ignore' };
    expect(run(mapToNetSuite, [withoutPo], { variables }).envelope.notices).toEqual([]);
    expect(() => run(mapToNetSuite, [withoutPo], { variables: { ...variables, po_required: 'warn' } })).toThrow(
      /setting "po_required" is not valid: "warn" is not one of flag, exception, ignore/,
    );
  });

  it('writes notices on every back-end mapper, empty included, so a flow can always split them', () => {
    // user_id is a required setting: without it the step fails before reading any order.
    const { envelope } = run(mapToLightspeedX, [], { variables: { user_id: '020b2c2a-4661-11f0-e88b-1afde45e0728' } });
    expect(envelope.notices).toEqual([]);
  });

  it("keeps an incoming envelope's notices when a later step runs", () => {
    const notice = {
      id: 'sl-1001',
      step: 'map-order-to-netsuite',
      code: 'ON_ACCOUNT_HELD',
      owner: 'finance',
      message: 'held',
    };
    const { envelope } = run(filterLiveOrders, {
      records: [],
      skipped: [],
      exceptions: [],
      summary: {},
      notices: [notice],
    });
    expect(envelope.notices).toEqual([notice]);
  });
});

describe('fitNotifyVariable', () => {
  it('leaves text that fits and cuts longer text at a word boundary with an ellipsis', () => {
    expect(fitNotifyVariable('order B2B01123 held')).toBe('order B2B01123 held');
    const long =
      `order B2B01123 held for finance: GBP 189.00 on account 1104 (company ` +
      `${'0b5e4d3c-2a19-4f08-9e7d-6c5b4a392817'}) and more words`;
    const cut = fitNotifyVariable(long);
    expect(cut.length).toBeLessThanOrEqual(NOTIFY_VARIABLE_CHARS);
    expect(cut.endsWith('…')).toBe(true);
    expect(long.startsWith(cut.slice(0, -1))).toBe(true);
    expect(long[cut.length - 1]).toMatch(/[\s,;:]/);
  });
});

// map-stock-to-sparklayer's quick reads (record.quick, besideQuick) skip zod for the common record: they must never
// accept what the schemas refuse, nor read anything otherwise than the schemas would. Generated records mix valid
// fields with every kind of wrong one (types, blanks, control characters, key order, out-of-range levels).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_STOCK_QUANTITY } from '../../model/stock.js';
import { step } from '../../scripts/map-stock-to-sparklayer/step.js';

const text = fc.oneof(
  fc.string(),
  fc.constantFrom('', '  ', 'MUG-1', ' MUG-1 ', 'A\u0000B', 'A\nB', 'warehouse-1', '\u0085x'),
);
const anyValue = fc.oneof(text, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constant(undefined));
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.oneof(arb, anyValue);

const level = fc.record(
  {
    sku: maybe(text),
    location: maybe(text),
    on_hand: maybe(fc.oneof(text, fc.integer(), fc.double())),
    available: maybe(fc.oneof(text, fc.integer())),
    product_id: maybe(text),
    source: maybe(text),
    archived: maybe(fc.boolean()),
    has_variants: maybe(fc.boolean()),
  },
  { requiredKeys: [] },
);
const previousRow = fc.oneof(
  fc.record({
    sku: maybe(text),
    stock_location_external_id: maybe(text),
    stock_level: maybe(fc.oneof(fc.integer(), fc.constant(MAX_STOCK_QUANTITY + 1), fc.double())),
  }),
  // Keys in another order, or one more.
  fc.record({ stock_level: fc.integer(), sku: text, stock_location_external_id: text }),
  fc.record({ sku: text, stock_location_external_id: text, stock_level: fc.integer(), extra: anyValue }),
);
const beside = fc.record(
  { previous: fc.oneof(fc.array(previousRow, { maxLength: 4 }), anyValue), open_orders: anyValue },
  { requiredKeys: [] },
);

describe('map-stock-to-sparklayer quick reads', () => {
  it('record.quick accepts only a level the schema accepts, read as it came', () => {
    const quick = step.record.quick!;
    fc.assert(
      fc.property(level, (record) => {
        if (quick(record)) expect(step.record.schema.safeParse(record).success).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('besideQuick gives exactly what the beside schema gives, or leaves it to the schema', () => {
    fc.assert(
      fc.property(beside, (given) => {
        const quick = step.besideQuick!(given);
        if (quick === undefined) return;
        const parsed = step.beside!.safeParse(given);
        expect(parsed.success).toBe(true);
        // Equal, key order aside: the rule reads previous field by field and does not write it out.
        expect(quick).toEqual(parsed.data);
      }),
      { numRuns: 2000 },
    );
  });
});

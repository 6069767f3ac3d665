// lightspeed-x-inventory-request: the X-Series stock flow's first inventory body, after the highest version kept.
import { describe, expect, it } from 'vitest';
import { step } from '../../scripts/lightspeed-x-inventory-request/step.js';
import { run } from '../support/run.js';

const kept = (product: string, version: unknown) => ({ product_id: product, outlet_id: 'o-1', version });
const requests = (records: unknown[], variables: Record<string, string> = {}) =>
  (run(step, { records }, { variables }).envelope as unknown as { requests: unknown[] }).requests;

describe('lightspeed-x-inventory-request', () => {
  it('asks for everything when nothing is kept (the first run, or a cache lost)', () => {
    expect(requests([])).toEqual([{ size: 5000, include_deleted: true, sort_direction: 'asc' }]);
  });

  it('asks after the highest version kept, compared as whole numbers, not as text', () => {
    const records = [kept('p1', '998'), kept('p2', '1000'), kept('p3', 999), kept('p4', 'not-a-version')];
    expect(requests(records, { inventory_page_size: '250' })).toEqual([
      { size: 250, include_deleted: true, sort_direction: 'asc', after: 1000 },
    ]);
  });

  it('refuses a kept version the body cannot hold exactly (over 2^53 - 1), rather than skip records', () => {
    expect(() => requests([kept('p1', '9007199254740993')])).toThrow(
      'the kept version 9007199254740993 is over 2^53 - 1',
    );
  });
});

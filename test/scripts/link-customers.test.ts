/**
 * link-customers (issue 20 item 1), rule by rule: each case runs in-process, then the sample and every case again
 * through the built bundle on Node 18 (the file Patchworks runs), which must answer exactly as in-process.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findNode18, NODE18_PLATFORM_SUPPORTED, runBundle } from '../../patchworks/runner/run-bundle.js';
import type { PatchworksData } from '../../runtime/contract.js';
import type { Envelope } from '../../runtime/envelope.js';
import { runStep } from '../../runtime/step.js';
import { sample } from '../../scripts/link-customers/sample.js';
import { MAX_NAMED_DUPLICATES, normaliseCompany, step } from '../../scripts/link-customers/step.js';
import { run } from '../support/run.js';
import { ROOT } from '../support/steps.js';

type Row = Record<string, unknown>;
const erp = (id: string, code: string | undefined, more: Row = {}): Row => ({
  source: 'netsuite',
  id,
  ...(code === undefined ? {} : { account_code: code }),
  ...more,
});
const sl = (id: string, code: string | undefined, more: Row = {}): Row => ({
  source: 'sparklayer',
  id,
  ...(code === undefined ? {} : { account_code: code }),
  ...more,
});

interface Case {
  name: string;
  records: unknown[];
  sparklayer?: unknown[];
  variables?: Record<string, string>;
  /** `id:pass`, `id:skip:reason`, `id:CODE` in envelope order (records, skipped, exceptions). */
  verdicts: string[];
  /** The links output, as `{erp, sparklayer}` updates, in order. */
  updates?: Array<{ erp: Row; sparklayer: Row }>;
  unlinked?: Array<{ id: string | null; reason: string }>;
}

const dataFor = (c: Case): PatchworksData => ({
  payload: JSON.stringify(
    c.sparklayer === undefined ? { records: c.records } : { records: c.records, sparklayer_customers: c.sparklayer },
  ),
  variables: c.variables ?? {},
});
const verdicts = (envelope: Envelope) => [
  ...envelope.records.map((r) => `${String((r as { erp: { id: string } }).erp.id)}:pass`),
  ...envelope.skipped.map((s) => `${String(s.id)}:skip:${s.reason}`),
  ...envelope.exceptions.map((e) => `${String(e.id)}:${e.code}`),
];

const ACME = { company_name: 'Acme Ltd', credit_limit: '1000', group: 'trade', tax_exempt: false };
const CASES: Case[] = [
  {
    name: 'master=erp: the ERP wins on each field that differs; the link is written to the back-end',
    records: [erp('1', 'A1', { ...ACME, payment_terms: 'Net 30', address: { postcode: 'LS1 1AA', city: 'Leeds' } })],
    sparklayer: [
      sl('s1', 'A1', {
        company_name: 'Acme',
        credit_limit: '500.00',
        group: 'trade',
        tax_exempt: true,
        payment_terms: 'Net 30',
        address: { postcode: 'LS2 2BB', city: 'Leeds' },
      }),
    ],
    verdicts: ['1:pass'],
    updates: [
      {
        erp: { sparklayer_id: 's1' },
        sparklayer: {
          company_name: 'Acme Ltd',
          address: { postcode: 'LS1 1AA', city: 'Leeds' },
          tax_exempt: false,
          credit_limit: '1000',
        },
      },
    ],
  },
  {
    name: 'master=sparklayer: SparkLayer wins, the back-end gets its fields and the SparkLayer id',
    records: [erp('1', 'A1', ACME)],
    sparklayer: [sl('s1', 'A1', { company_name: 'Acme Trading', credit_limit: 2500, group: 'gold' })],
    variables: { master: 'sparklayer' },
    verdicts: ['1:pass'],
    updates: [
      { erp: { sparklayer_id: 's1', company_name: 'Acme Trading', group: 'gold', credit_limit: 2500 }, sparklayer: {} },
    ],
  },
  {
    name: 'credit limits 1000 and "1000.00" are equal; a link already written is not written again',
    records: [erp('1', 'A1', { ...ACME, sparklayer_id: 's1' })],
    sparklayer: [sl('s1', 'A1', { ...ACME, credit_limit: '1000.00' })],
    verdicts: ['1:pass'],
    updates: [{ erp: {}, sparklayer: {} }],
  },
  {
    name: 'credit limits as a number and as text, exact: 0.1 + 0.2 style floats never enter',
    records: [erp('1', 'A1', { credit_limit: 1000.1 })],
    sparklayer: [sl('s1', 'A1', { credit_limit: '1000.10' })],
    verdicts: ['1:pass'],
    updates: [{ erp: { sparklayer_id: 's1' }, sparklayer: {} }],
  },
  {
    name: 'a field the winner lacks is never cleared on the other side',
    records: [erp('1', 'A1')],
    sparklayer: [sl('s1', 'A1', ACME)],
    verdicts: ['1:pass'],
    updates: [{ erp: { sparklayer_id: 's1' }, sparklayer: {} }],
  },
  {
    name: "link_by=external_id: SparkLayer's accounting_id is matched to the external id and set to the ERP's code",
    records: [erp('1', 'C-77', { external_id: 'EXT-1' })],
    sparklayer: [sl('s1', 'EXT-1')],
    variables: { link_by: 'external_id' },
    verdicts: ['1:pass'],
    updates: [{ erp: { sparklayer_id: 's1' }, sparklayer: { account_code: 'C-77' } }],
  },
  {
    name: 'unmatched both ways: a skip for the back-end, a list beside for SparkLayer',
    records: [erp('1', 'A1')],
    sparklayer: [sl('s9', 'Z9')],
    verdicts: ['1:skip:no-sparklayer-customer'],
    unlinked: [{ id: 's9', reason: 'no-erp-customer' }],
  },
  {
    name: 'no shared id on either side: NO_SHARED_CUSTOMER_ID, and the others go on',
    records: [erp('1', undefined), erp('2', 'A2')],
    sparklayer: [sl('s1', '  '), sl('s2', 'A2')],
    verdicts: ['2:pass', '1:NO_SHARED_CUSTOMER_ID', 's1:NO_SHARED_CUSTOMER_ID'],
  },
  {
    name: 'the same company name, normalised (case, punctuation, Ltd / Limited / plc), across both systems',
    records: [erp('1', 'A1', { company_name: 'Acme Ltd.' }), erp('2', 'A2', { company_name: 'Other' })],
    sparklayer: [sl('s2', 'A2', { company_name: 'Other' }), sl('s9', 'A9', { company_name: 'ACME LIMITED' })],
    verdicts: ['2:pass', '1:POSSIBLE_DUPLICATE_CUSTOMER', 's9:POSSIBLE_DUPLICATE_CUSTOMER'],
  },
  {
    name: 'two back-end records with the same name: both held, their SparkLayer partners listed as partner-held',
    records: [erp('1', 'A1', { company_name: 'Acme plc' }), erp('2', 'A2', { company_name: 'acme' })],
    sparklayer: [sl('s1', 'A1'), sl('s2', 'A2')],
    verdicts: ['1:POSSIBLE_DUPLICATE_CUSTOMER', '2:POSSIBLE_DUPLICATE_CUSTOMER'],
    unlinked: [
      { id: 's1', reason: 'partner-held' },
      { id: 's2', reason: 'partner-held' },
    ],
  },
  {
    name: 'the same tax number, written differently',
    records: [erp('1', 'A1', { tax_number: 'GB 123 4567 89' }), erp('2', 'A2', { tax_number: 'gb123456789' })],
    verdicts: ['1:POSSIBLE_DUPLICATE_CUSTOMER', '2:POSSIBLE_DUPLICATE_CUSTOMER'],
  },
  {
    name: 'the same email domain and postcode',
    records: [
      erp('1', 'A1', { email: 'a@acme.example', address: { postcode: 'LS1 1AA' } }),
      erp('2', 'A2', { email: 'b@ACME.example', address: { postcode: 'ls11aa' } }),
    ],
    verdicts: ['1:POSSIBLE_DUPLICATE_CUSTOMER', '2:POSSIBLE_DUPLICATE_CUSTOMER'],
  },
  {
    name: 'a free-mail domain and the same postcode is no sign (gmail.com)',
    records: [
      erp('1', 'A1', { email: 'a@gmail.com', address: { postcode: 'LS1 1AA' } }),
      erp('2', 'A2', { email: 'b@gmail.com', address: { postcode: 'LS1 1AA' } }),
    ],
    verdicts: ['1:skip:no-sparklayer-customer', '2:skip:no-sparklayer-customer'],
  },
  {
    name: 'the same domain at another postcode is no sign',
    records: [
      erp('1', 'A1', { email: 'a@acme.example', address: { postcode: 'LS1 1AA' } }),
      erp('2', 'A2', { email: 'b@acme.example', address: { postcode: 'M1 1AA' } }),
    ],
    verdicts: ['1:skip:no-sparklayer-customer', '2:skip:no-sparklayer-customer'],
  },
  {
    name: 'one shared id on two back-end records: both held; the SparkLayer customer is partner-held',
    records: [erp('1', 'A1'), erp('2', 'A1')],
    sparklayer: [sl('s1', 'A1')],
    verdicts: ['1:POSSIBLE_DUPLICATE_CUSTOMER', '2:POSSIBLE_DUPLICATE_CUSTOMER'],
    unlinked: [{ id: 's1', reason: 'partner-held' }],
  },
  {
    name: 'one shared id on two SparkLayer customers: both held; the back-end record is skipped as held',
    records: [erp('1', 'A1')],
    sparklayer: [sl('s1', 'A1'), sl('s2', 'A1')],
    verdicts: ['1:skip:sparklayer-customer-held', 's1:POSSIBLE_DUPLICATE_CUSTOMER', 's2:POSSIBLE_DUPLICATE_CUSTOMER'],
  },
  {
    name: 'a linked pair is not its own duplicate, nor are company users (parent_id) counted as accounts',
    records: [erp('1', 'A1', { ...ACME, email: 'a@acme.example', address: { postcode: 'LS1 1AA' } })],
    sparklayer: [
      sl('s1', 'A1', { ...ACME, email: 'b@acme.example', address: { postcode: 'LS1 1AA' } }),
      sl('u1', undefined, { parent_id: 's1', company_name: 'Acme Ltd' }),
    ],
    verdicts: ['1:pass'],
    updates: [{ erp: { sparklayer_id: 's1' }, sparklayer: {} }],
  },
  {
    name: 'bad records are kept whole as exceptions and never fail the others',
    records: [erp('1', 'A1', { credit_limit: '1,000' }), { id: '2' }, erp('3', 'A3')],
    sparklayer: [sl('s1', 'A1', { tax_exempt: 'yes' }), 'not a customer', sl('s3', 'A3')],
    verdicts: ['3:pass', '1:INVALID_RECORD', '2:INVALID_RECORD', 's1:INVALID_CUSTOMER', 'null:INVALID_CUSTOMER'],
  },
  {
    name: 'sparklayer_customers absent is none: every back-end customer unmatched, nothing thrown',
    records: [erp('1', 'A1')],
    verdicts: ['1:skip:no-sparklayer-customer'],
  },
];

describe('link-customers', () => {
  it.each(CASES)('$name', (c) => {
    const { envelope } = run(step, JSON.parse(dataFor(c).payload!), { variables: c.variables ?? {} });
    expect(verdicts(envelope)).toEqual(c.verdicts);
    if (c.updates)
      expect(
        envelope.records.map((r) => {
          const link = r as { erp: { update: Row }; sparklayer: { update: Row } };
          return { erp: link.erp.update, sparklayer: link.sparklayer.update };
        }),
      ).toEqual(c.updates);
    const unlinked = (
      envelope as unknown as { unlinked_sparklayer_customers: Array<{ id: string | null; reason: string }> }
    ).unlinked_sparklayer_customers;
    expect(unlinked.map(({ id, reason }) => ({ id, reason }))).toEqual(c.unlinked ?? []);
    expect(envelope).not.toHaveProperty('sparklayer_customers');
    for (const exception of envelope.exceptions) expect(exception.record).toBeDefined();
  });

  it('keeps each bad record whole and names both records of a duplicate', () => {
    const a = erp('1', 'A1', { company_name: 'Acme Ltd', note: 'kept' });
    const b = sl('s9', 'A9', { company_name: 'acme limited' });
    const { envelope } = run(step, { records: [a], sparklayer_customers: [b] });
    expect(envelope.exceptions[0]!.record).toEqual(a);
    expect(envelope.exceptions[0]!.message).toMatch(/netsuite 1 .*sparklayer s9 \(same company name\)/);
    expect(envelope.exceptions[0]!.owner).toBe('customer service');
    expect(envelope.exceptions[0]!.details).toEqual({
      possible_duplicates: [{ side: 'sparklayer', source: 'sparklayer', id: 's9', signals: ['same company name'] }],
    });
    // The SparkLayer side is an exception of its own, owned by customer service too, naming the back-end record.
    expect(envelope.exceptions[1]).toMatchObject({
      id: 's9',
      code: 'POSSIBLE_DUPLICATE_CUSTOMER',
      owner: 'customer service',
      message: expect.stringMatching(/sparklayer s9 .*netsuite 1/) as unknown,
      record: b,
      details: { possible_duplicates: [{ side: 'erp', source: 'netsuite', id: '1', signals: ['same company name'] }] },
    });
  });

  it('names at most MAX_NAMED_DUPLICATES others, and says there are more', () => {
    const many = Array.from({ length: 25 }, (_, i) => erp(String(i), `A${i}`, { company_name: 'Acme Ltd' }));
    const { envelope } = run(step, { records: many });
    expect(envelope.exceptions).toHaveLength(25);
    for (const exception of envelope.exceptions) {
      const details = exception.details as { possible_duplicates: unknown[]; more_possible_duplicates?: boolean };
      expect(details.possible_duplicates).toHaveLength(MAX_NAMED_DUPLICATES);
      expect(details.more_possible_duplicates).toBe(true);
      expect(exception.message).toMatch(/and others \(the first 10 named\)/);
    }
  });

  it('keeps a SparkLayer customer that cannot be read whole as INVALID_CUSTOMER, naming the field', () => {
    const bad = sl('s1', 'A1', { credit_limit: 'lots' });
    const { envelope } = run(step, { records: [], sparklayer_customers: [bad] });
    expect(envelope.exceptions).toEqual([
      expect.objectContaining({
        id: 's1',
        code: 'INVALID_CUSTOMER',
        owner: 'integration',
        message: expect.stringMatching(/^sparklayer_customers\[0\]\.credit_limit: /) as unknown,
        record: bad,
      }),
    ]);
  });

  it('fails the step, naming it, when sparklayer_customers is not a list', () => {
    expect(() => run(step, { records: [erp('1', 'A1')], sparklayer_customers: { id: 's1' } })).toThrow(
      /sparklayer_customers/,
    );
  });

  it('normalises company names', () => {
    expect(normaliseCompany(' ACME  Widgets, Ltd. ')).toBe('acme widgets');
    expect(normaliseCompany('Acme Widgets Limited')).toBe('acme widgets');
    expect(normaliseCompany('Acme Widgets PLC')).toBe('acme widgets');
    expect(normaliseCompany('Ltd')).toBe('ltd');
  });

  const node18 = findNode18(ROOT);
  const skipNode18 = 'missing' in node18 && !NODE18_PLATFORM_SUPPORTED;
  it.skipIf(skipNode18)(
    `the sample and every case give the same answer from the built bundle on Node 18 (${CASES.length} cases)`,
    async () => {
      if ('missing' in node18) throw new Error(node18.missing);
      const bundle = path.join(ROOT, 'dist', 'scripts', 'link-customers.js');
      const sampleData: PatchworksData = {
        payload: JSON.stringify({ records: sample.records, ...sample.beside }),
        variables: sample.variables,
      };
      for (const [name, data] of [
        ['sample', sampleData],
        ...CASES.map((c) => [c.name, dataFor(c)] as const),
      ] as const) {
        const result = await runBundle(node18.path, bundle, data);
        expect(result.node, name).toMatch(/^v18\./);
        expect(result.error, name).toBeUndefined();
        expect(result.result, name).toEqual(runStep(step, structuredClone(data)));
      }
    },
    120_000,
  );
});

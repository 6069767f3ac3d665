/**
 * Generated SparkLayer order payloads for the step benchmark: N copies of the documented order
 * (fixtures/sparklayer/purchases/list.all-types.json), each with its own ids, one in ten a quote.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fixtureFileSchema } from '../../contracts/fixtures.js';

type Json = Record<string, unknown>;

export async function orderTemplate(root: string): Promise<{ order: Json; customers: Json[] }> {
  const read = async (file: string) =>
    fixtureFileSchema.parse(JSON.parse(await readFile(path.join(root, file), 'utf8'))).body;
  const purchases = (await read('fixtures/sparklayer/purchases/list.all-types.json')) as Json[];
  const customers = [
    (await read('fixtures/sparklayer/customers/get.primary.json')) as Json,
    (await read('fixtures/sparklayer/customers/get.sub-account.json')) as Json,
  ];
  return { order: purchases.find((p) => p.type === 'order')!, customers };
}

export function orders(template: Json, count: number, fields: Json = {}): Json[] {
  return Array.from({ length: count }, (_, i) => ({
    ...template,
    type: i % 10 === 9 ? 'quote' : 'order',
    purchase_identifiers: { sparklayer: `bench-${i}`, visible: `B${i}` },
    ...fields,
  }));
}

/** What the back-end booked for each generated order: the documented order's totals. */
export function targets(count: number): Json[] {
  return Array.from({ length: count }, (_, i) => ({
    reference: `bench-${i}`,
    currency: 'GBP',
    net: '157.50',
    tax: '31.50',
    gross: '189.00',
    shipping: '7.50',
  }));
}

// The X-Series price book writes (CreatePriceBookV3, UpdatePriceBookV3, AddPriceBookProducts, UpdatePriceBookProducts,
// DeletePriceBookProducts in https://x-series-api.lightspeedhq.com/openapi/api-2026-07.yaml)
// through the client against the fake X-Series: required fields, the 100-entry limit, an unknown book's 404, and
// what is written read back through ListPriceBookProducts.
import { beforeEach, describe, expect, it } from 'vitest';
import { LightspeedXClient } from '../../../../connectors/lightspeed-x/dev/client.js';
import { LightspeedXApiError } from '../../../../connectors/lightspeed-x/dev/errors.js';
import {
  LightspeedXSandbox,
  SANDBOX_BASE_URL,
  sandboxConfig,
  sandboxDataFromFixtures,
} from '../../../../connectors/lightspeed-x/dev/sandbox.js';
import { mswHandlers } from '../../../../contracts/hosts.js';
import { server } from '../../../support/msw.js';
import { ROOT } from '../../../support/steps.js';

const fixtureData = await sandboxDataFromFixtures(ROOT);
const TRADE = 'dc85058a-a683-11e4-ef46-e1535cf1ebe5';
const VIP = 'dc85058a-a683-11e5-e112-46b9bd1f069e';
const MUG = 'b8ca3a65-0183-11e4-fbb5-9776c5cd0240';
const TEA = 'b8ca3a65-0183-11e4-fbb5-9776c611d865';
const TAX = '0242ac12-0002-11e9-e8c4-6594948eac5c';

let sandbox: LightspeedXSandbox;
let x: LightspeedXClient;
beforeEach(() => {
  sandbox = new LightspeedXSandbox(fixtureData);
  server.use(...mswHandlers(SANDBOX_BASE_URL, sandbox));
  x = new LightspeedXClient(sandboxConfig(), { sleep: async () => {}, random: () => 1, log: () => {} });
});

/** The status of the API error a call ends in. */
async function status(call: Promise<unknown>): Promise<number> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(LightspeedXApiError);
  return (error as LightspeedXApiError).details.status;
}

describe('X-Series price book writes (client and sandbox)', () => {
  it('creates a book restricted to a customer group, listed by ListPriceBooksV3 and updated by id', async () => {
    const created = await x.createPriceBook({ name: 'Trade 2027', customer_group_ids: [VIP], outlet_ids: [] });
    expect(created).toMatchObject({ name: 'Trade 2027' });
    const books = await x.listPriceBooks();
    expect(books.find((b) => b.id === created.id)).toMatchObject({ customer_group_ids: [VIP] });
    const updated = await x.updatePriceBook(created.id, {
      name: 'Trade 2027',
      customer_group_ids: [VIP],
      outlet_ids: [],
      valid_from: '2027-01-01',
    });
    expect(updated).toMatchObject({ id: created.id, valid_from: '2027-01-01' });
    expect(sandbox.calls).toEqual(
      expect.arrayContaining(['POST /2026-07/price_books', `PUT /2026-07/price_books/${created.id}`]),
    );
  });

  it.each([
    ['no name', { customer_group_ids: [VIP], outlet_ids: [] }],
    ['no customer_group_ids', { name: 'T', outlet_ids: [] }],
    ['no outlet_ids', { name: 'T', customer_group_ids: [VIP] }],
    ['an unknown customer group', { name: 'T', customer_group_ids: ['nope'], outlet_ids: [] }],
  ])('refuses a book with %s (400)', async (_name, body) => {
    expect(await status(x.createPriceBook(body as never))).toBe(400);
  });

  it('answers 404 for a book it does not have, on an update and on its products', async () => {
    const body = { name: 'T', customer_group_ids: [VIP], outlet_ids: [] };
    expect(await status(x.updatePriceBook('no-such-book', body))).toBe(404);
    const entry = { product_id: MUG, price: 1, tax_id: TAX };
    expect(await status(x.writePriceBookProducts('no-such-book', 'add', { data: [entry] }))).toBe(404);
  });

  it('adds, updates (PATCH, PUT) and deletes price book products, read back by ListPriceBookProducts', async () => {
    await x.writePriceBookProducts(TRADE, 'add', {
      data: [
        { product_id: TEA, price: 0.3, tax_id: TAX },
        { product_id: TEA, price: 0.25, tax_id: TAX, min_units: 24 },
      ],
    });
    const tea = async () =>
      (await x.listPriceBookProducts())
        .filter((e) => e.product_id === TEA && e.price_book_id === TRADE && !e.deleted_at)
        .map((e) => [e.min_units ?? null, e.price]);
    expect(await tea()).toEqual([
      [null, 0.3],
      [24, 0.25],
    ]);
    const [base] = (await x.listPriceBookProducts()).filter((e) => e.product_id === TEA && e.min_units == null);
    await x.writePriceBookProducts(TRADE, 'patch', {
      data: [{ id: base!.id, product_id: TEA, price: 0.29, tax_id: TAX }],
    });
    const [from24] = (await x.listPriceBookProducts()).filter((e) => e.product_id === TEA && e.min_units === 24);
    await x.writePriceBookProducts(TRADE, 'patch', {
      data: [{ id: from24!.id, product_id: TEA, price: 0.24, tax_id: TAX, min_units: 24 }],
    });
    expect(await tea()).toEqual([
      [null, 0.29],
      [24, 0.24],
    ]);
    await x.deletePriceBookProducts(TRADE, [base!.id!]);
    expect(await tea()).toEqual([[24, 0.24]]);
  });

  it.each([
    ['no tax_id', { product_id: MUG, price: 1 }],
    ['no price', { product_id: MUG, tax_id: TAX }],
    ['a price that is text', { product_id: MUG, price: '1.00', tax_id: TAX }],
    ['no product_id', { price: 1, tax_id: TAX }],
    ['a product X-Series does not have', { product_id: 'nope', price: 1, tax_id: TAX }],
  ])('refuses an entry with %s (400), writing none of the body', async (_name, bad) => {
    const before = sandbox.priceBookProducts.length;
    const good = { product_id: TEA, price: 1, tax_id: TAX };
    expect(await status(x.writePriceBookProducts(TRADE, 'add', { data: [good, bad] as never }))).toBe(400);
    expect(sandbox.priceBookProducts).toHaveLength(before);
  });

  it('refuses an add of an entry already there and an update of one that is not', async () => {
    // The fixtures' Trade book prices the mug from 1 (min_units null).
    const mug = { product_id: MUG, price: 9, tax_id: TAX };
    expect(await status(x.writePriceBookProducts(TRADE, 'add', { data: [mug] }))).toBe(400);
    const tea = { product_id: TEA, price: 9, tax_id: TAX };
    expect(await status(x.writePriceBookProducts(TRADE, 'patch', { data: [tea] }))).toBe(400);
  });

  it('keeps to 100 entries a request: the client refuses more before sending, the sandbox answers 400', async () => {
    const data = Array.from({ length: 101 }, (_v, i) => ({ product_id: TEA, price: 1, tax_id: TAX, min_units: i + 2 }));
    await expect(x.writePriceBookProducts(TRADE, 'add', { data })).rejects.toThrow(/more than 100/);
    expect(sandbox.calls.filter((c) => c.includes('/products'))).toEqual([]);
    const response = await sandbox.handle(
      new Request(`${SANDBOX_BASE_URL}/2026-07/price_books/${TRADE}/products`, {
        method: 'POST',
        headers: { Authorization: 'Bearer none', 'Content-Type': 'application/json' },
        body: JSON.stringify({ data }),
      }),
    );
    // Unauthorized first: the sandbox checks the token before the body.
    expect(response === 'network-error' ? 0 : response.status).toBe(401);
    await x.listPriceBooks();
    await expect(
      x.deletePriceBookProducts(
        TRADE,
        Array.from({ length: 101 }, (_v, i) => `id-${i}`),
      ),
    ).rejects.toThrow(/at most 100/);
  });
});

/**
 * What a back-end (an ERP, a POS) supplies to receive orders: one pure mapper from the canonical order to
 * the body its create-order endpoint takes. A `map-order-to-<backend>` step is this mapper handed to
 * `defineMapOrderStep`; adding a back-end means writing a mapper (and its client), not changing a step.
 *
 * And the kit every mapper is written with (mappingKit and the functions below it): refusing an order with one of the
 * mapper's declared codes, the account, a tax rate and its table entry, exact JSON numbers, the PO number, Pay on
 * Account. A mapper is then only what its back-end does differently.
 */
import type * as z from 'zod';
import type { SettingsOf, SettingsShape } from '../runtime/settings.js';
import type { ExceptionCode } from '../runtime/step.js';
import { exactJsonNumber, type Decimal, type Money } from './money.js';
import type { CanonicalOrder } from './order.js';
import { impliedRate, rateKey } from './tax.js';

/** How Pay on Account orders reach the back-end (pack-contract §4). */
export const ON_ACCOUNT_MODES = ['release', 'hold'] as const;
export type OnAccountMode = (typeof ON_ACCOUNT_MODES)[number];

export interface OrderMapperOptions {
  /**
   * `release`: approved for fulfilment, and visibly marked as on account. `hold`: waits, unfulfillable,
   * until finance releases it. Only orders paid on account are affected.
   */
  onAccountMode: OnAccountMode;
}

/** What a mapper makes of one order: the body, or a refusal with one of the codes it declares. */
export type MapResult<Body, Code extends string> =
  { ok: true; body: Body } | { ok: false; code: Code; message: string };

/** The order a mapper is handed: its account is set (the step checks first). */
export type OrderWithAccount = CanonicalOrder & { account: string };

export interface OrderMapper<Body, Code extends string, S extends SettingsShape = Record<never, never>, B = unknown> {
  /** The back-end's name in step keys: `map-order-to-<backend>`. */
  backend: string;
  /** Codes `map` may fail with, and what a person should do about each. */
  exceptionCodes: Record<Code, ExceptionCode>;
  /**
   * Where the order's PO number lands, and the most characters the back-end is documented to hold there (omitted
   * where the vendor documents none): a longer PO is PO_TOO_LONG before the back-end can refuse the order.
   */
  po: { field: string; maxLength?: number; source?: string };
  /** Settings only this back-end needs (its ids for tax codes, items…); the step adds them to its own. */
  settings: S;
  /**
   * Data the mapper reads from beside the orders (e.g. the back-end's `products`), parsed once by the step;
   * a malformed one fails the whole step. Omit when the mapper needs none.
   */
  beside?: z.ZodType<B>;
  /** Pure: no I/O, no clock. A code it returns must be one of `exceptionCodes` (tsc checks). */
  map(order: OrderWithAccount, options: OrderMapperOptions, settings: SettingsOf<S>, beside: B): MapResult<Body, Code>;
}

// --------------------------------------------------------------------------------------------------------- The mapping
// kit

/** An order refused while mapping: thrown by a kit's `fail`, made a MapResult by its `result`. */
class MapFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** An amount that is taxed: an order line, or its shipping (which has no rate of its own). */
export interface Taxed {
  net: Money;
  tax: Money;
  taxRate?: Decimal;
}

/**
 * The kit, bound to one mapper's codes: `fail` takes only those, and each helper that refuses with a fixed code
 * (UNRESOLVED_ACCOUNT, INVALID_AMOUNT) is there only for a mapper that declares it.
 */
export interface MappingKit<Code extends string> {
  /** Refuses the order (throws); `result` turns it into `{ ok: false, code, message }`. */
  fail(code: Code, message: string): never;
  /** One order's mapping as a MapResult: the body `map` returns, or the refusal it threw with `fail`. */
  result<Body>(map: () => Body): MapResult<Body, Code>;
  /**
   * The order's account as the back-end names it: `read` gets erp_account trimmed and gives undefined for one the
   * back-end cannot take, which is UNRESOLVED_ACCOUNT: `erp_account "…" is not <what>`.
   */
  account: 'UNRESOLVED_ACCOUNT' extends Code
    ? <T>(order: OrderWithAccount, read: (account: string) => T | undefined, what: string) => T
    : never;
  /** The decimal as a JSON number that prints back as the same decimal; else INVALID_AMOUNT, naming `what`. */
  exactNumber: 'INVALID_AMOUNT' extends Code ? (value: Decimal, what: string) => number : never;
  /**
   * The tax rate of `part` in percent (the source's, else implied by tax ÷ net) and the entry `table` has for it;
   * `code` when tax on a net of zero has no rate, or when the table has none (`<what>: tax rate 20% has no <lacks>`).
   */
  byRate<T>(
    table: ReadonlyMap<string, T>,
    what: string,
    part: Taxed,
    code: Code,
    lacks: string,
  ): { rate: Decimal; value: T };
}

export function mappingKit<Code extends string>(_codes: Record<Code, ExceptionCode>): MappingKit<Code> {
  // `_codes` is there for inference only: the kit's codes are the declaration's keys.
  const fail = (code: Code, message: string): never => {
    throw new MapFailure(code, message);
  };
  const kit: MappingKit<string> = {
    fail,
    result<Body>(map: () => Body): MapResult<Body, string> {
      try {
        return { ok: true, body: map() };
      } catch (error) {
        if (error instanceof MapFailure) return { ok: false, code: error.code, message: error.message };
        throw error;
      }
    },
    account<T>(order: OrderWithAccount, read: (account: string) => T | undefined, what: string): T {
      const account = read(order.account.trim());
      return account === undefined
        ? fail('UNRESOLVED_ACCOUNT' as Code, `erp_account ${JSON.stringify(order.account)} is not ${what}`)
        : account;
    },
    exactNumber(value: Decimal, what: string): number {
      const number = exactJsonNumber(value);
      return number === undefined
        ? fail('INVALID_AMOUNT' as Code, `${what} ${value.toFixed()} cannot be sent as an exact JSON number`)
        : number;
    },
    byRate<T>(
      table: ReadonlyMap<string, T>,
      what: string,
      part: Taxed,
      code: string,
      lacks: string,
    ): { rate: Decimal; value: T } {
      const rate = part.taxRate ?? impliedRate(part.net, part.tax);
      if (rate === undefined)
        return fail(code as Code, `${what}: tax ${part.tax.toString()} on a net of zero has no rate`);
      const value = table.get(rateKey(rate));
      if (value === undefined) return fail(code as Code, `${what}: tax rate ${rateKey(rate)}% has no ${lacks}`);
      return { rate, value };
    },
  };
  return kit as unknown as MappingKit<Code>;
}

/** The customer's PO number, trimmed; undefined when there is none. */
export function poNumber(order: CanonicalOrder): string | undefined {
  const po = order.po?.trim();
  return po ? po : undefined;
}

/** How the order is paid on account: held for finance, released for fulfilment, or (not on account) neither. */
export function payOnAccount(order: CanonicalOrder, options: OrderMapperOptions): 'held' | 'released' | undefined {
  if (order.paymentMethod !== 'on_account') return undefined;
  return options.onAccountMode === 'hold' ? 'held' : 'released';
}

/** What every back-end's note says of a Pay on Account order released (each words a held one its own way). */
export const RELEASED_NOTE = 'Pay on Account: released for fulfilment';

/** The order as a person finds it in SparkLayer: `SparkLayer order <visible reference>`. */
export function orderLabel(order: CanonicalOrder): string {
  return `SparkLayer order ${order.reference ?? order.id}`;
}

/** Whether the order charges shipping (net or tax): a back-end then needs somewhere to book it. */
export function chargesShipping(order: CanonicalOrder): boolean {
  return !order.shipping.net.isZero() || !order.shipping.tax.isZero();
}

/** `build`, once per object (a run's settings, what rides beside its orders): every order of a run shares them. */
export function oncePer<K extends object, V>(build: (key: K) => V): (key: K) => V {
  const built = new WeakMap<K, V>();
  return (key) => {
    if (built.has(key)) return built.get(key)!;
    const value = build(key);
    built.set(key, value);
    return value;
  };
}

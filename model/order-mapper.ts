/**
 * What a back-end (an ERP, a POS) supplies to receive orders: one pure mapper from the canonical order to
 * the body its create-order endpoint takes. A `map-order-to-<backend>` step is this mapper handed to
 * `defineMapOrderStep`; adding a back-end means writing a mapper (and its client), not changing a step.
 */
import type * as z from 'zod';
import type { SettingsOf, SettingsShape } from '../runtime/settings.js';
import type { ExceptionCode } from '../runtime/step.js';
import type { CanonicalOrder } from './order.js';

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

export type MapResult<Body> = { ok: true; body: Body } | { ok: false; code: string; message: string };

export interface OrderMapper<Body, Code extends string = string, S extends SettingsShape = Record<never, never>, B = unknown> {
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
  /** Pure: no I/O, no clock. `order.account` is set (the step checks first). */
  map(order: CanonicalOrder & { account: string }, options: OrderMapperOptions, settings: SettingsOf<S>, beside: B): MapResult<Body>;
}

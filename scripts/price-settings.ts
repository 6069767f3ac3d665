/**
 * Settings the back-ends' price rows steps share, each declared once here (as order-settings.ts for the order steps):
 * the table naming which of the back-end's price sources (an R-Series price level, an X-Series price book) feeds
 * which SparkLayer price list, and the store's currency where the back-end names none.
 */
import * as z from 'zod';
import { readTableSetting } from '../runtime/settings.js';
import { CONTROL_CHARACTER, reject } from '../runtime/tables.js';

/** The table's key of a source by its id (`#<id>`) or by its name (`@<name in lower case>`); an id wins. */
export interface SourceKeys {
  idKey: (id: string) => string;
  nameKey: (name: string) => string;
}

/** A name's key: trimmed, any case. */
export const nameKey = (name: string) => `@${name.trim().toLowerCase()}`;

/**
 * `<source> → SparkLayer price list slug`, the source by id (`isId` says which keys are ids) or by name. Each slug
 * once: a list fed by two sources would take whichever was read last.
 */
export function priceSourceMapSetting(options: {
  description: string;
  /** What a source is, singular and plural, for the messages: `price level`, `levels`. */
  source: string;
  sources: string;
  isId: (key: string) => boolean;
  keys: SourceKeys;
}) {
  return readTableSetting<string>({
    description: options.description,
    key: (left) => {
      const key = left.trim();
      if (key === '') return reject(`the ${options.source} is empty`);
      return options.isId(key) ? options.keys.idKey(key) : options.keys.nameKey(key);
    },
    value: (right) => {
      const slug = right.trim();
      if (slug === '') return reject('the SparkLayer price list slug is empty');
      if (CONTROL_CHARACTER.test(slug)) return reject(`the slug ${JSON.stringify(slug)} holds a control character`);
      return slug;
    },
  })
    .superRefine((table, ctx) => {
      const seen = new Map<string, string>();
      for (const [source, slug] of table) {
        const earlier = seen.get(slug);
        if (earlier !== undefined)
          ctx.addIssue({
            code: 'custom',
            message:
              `the table cannot be read: ${options.sources} ${earlier.slice(1)} and ${source.slice(1)} both feed ` +
              `price list ${JSON.stringify(slug)}; a list takes one ${options.source.split(' ').at(-1)}'s prices`,
          });
        seen.set(slug, source);
      }
    })
    .describe(options.description);
}

/** The store's currency (ISO 4217), the currency of every price row, where the back-end names none. */
export function storeCurrencySetting(description: string): z.ZodType<string, unknown> {
  return z
    .union([z.string(), z.number()], { error: 'must be an ISO currency code such as GBP' })
    .transform((value) => String(value).trim().toUpperCase())
    .refine((value) => value === '' || /^[A-Z]{3}$/.test(value), 'must be an ISO currency code such as GBP')
    .default('')
    .describe(description) as unknown as z.ZodType<string, unknown>;
}

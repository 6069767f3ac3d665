/**
 * link-customers (issue 20 item 1): pairs each back-end customer with its SparkLayer customer by the identifier the
 * client shares between them, and says what to write on each side so the link is explicit and the master's fields
 * hold on both. Input: the back-end's canonical customers (model/customer.ts) as records, SparkLayer's beside as
 * `sparklayer_customers`. Pure: no HTTP, clock or environment; it writes nothing itself.
 *
 * The link (`link_by`): a SparkLayer customer's `account_code` (its `accounting_id`, sparklayer.md §5) equals the
 * back-end's `account_code` (NetSuite entityId, X-Series customer_code) or, with link_by=external_id, its
 * `external_id` (NetSuite externalId). Shared ids are compared trimmed, exactly.
 *
 * Per back-end record, in this order:
 * - no shared id (link_by's field empty): NO_SHARED_CUSTOMER_ID (integration);
 * - a possible duplicate (below): POSSIBLE_DUPLICATE_CUSTOMER (customer service), the record kept whole, naming the
 *   other records it resembles (side, source, id; the first MAX_NAMED_DUPLICATES, `more_possible_duplicates` past
 *   them) and why; never merged, never linked;
 * - no SparkLayer customer with its shared id: skipped, reason `no-sparklayer-customer`; its SparkLayer partner held
 *   as an exception (a duplicate, or its shared id on two SparkLayer customers): skipped, `sparklayer-customer-held`;
 * - else it continues as a link: `{ link_by, master, shared_id, erp: {source, id, update}, sparklayer: {id, update}}`.
 *   Each `update` holds only the fields that differ, in canonical names (the writer maps them): the link itself
 *   (SparkLayer `account_code`, i.e. accounting_id, set from the back-end's account code when it differs; the
 *   back-end's `sparklayer_id` set to the SparkLayer id when it differs), and, on the side that does not win
 *   (`master`), each of company_name, address, group, tax_exempt, payment_terms, credit_limit the winner has and the
 *   loser holds otherwise. A field the winner lacks is never cleared on the other side. Credit limits are compared as
 *   exact decimals (1000 = "1000.00"); text trimmed; an address field by field.
 * Per SparkLayer customer (beside): one that cannot be read (INVALID_CUSTOMER), has no shared id
 * (NO_SHARED_CUSTOMER_ID) or is a possible duplicate (POSSIBLE_DUPLICATE_CUSTOMER, naming the others) is an exception
 * of its own, the record whole (the runtime's `unmatched`: counted in the step's `in`, never holding back the others).
 * One merely not linked is listed beside the records as `unlinked_sparklayer_customers`, `{id, account_code, reason}`,
 * reason `no-erp-customer` (no back-end partner: a SparkLayer customer need not be an ERP account) or `partner-held`
 * (its partner is held as an exception, or its shared id is on two back-end records), counted in meta
 * (sparklayer_customers_unlinked). A duplicate between a SparkLayer and a back-end customer is the exception of both.
 * A company user (`parent_id` set) is left out: it is its company's, not an account of its own (counted as
 * sparklayer_company_users).
 *
 * Possible duplicates, across BOTH systems' records (every pair but a back-end customer and its own SparkLayer
 * partner): the same normalised company name (case, punctuation and spacing ignored, and a trailing `Ltd`, `Limited`
 * or `plc`); the same tax number (letters and digits only, upper case); the same email domain and postcode (postcode
 * upper case without spaces), except at a free-mail domain (FREE_MAIL_DOMAINS: gmail.com and the like are shared by
 * unrelated people, so they say nothing); or the same shared id on two records of one system (the link would be a
 * guess). A back-end record that cannot be read is INVALID_RECORD (the runtime) and takes part in nothing.
 */
import Big from 'big.js';
import * as z from 'zod';
import {
  MASTERED_FIELDS,
  type CanonicalCustomer,
  type CustomerAddress,
  type MasteredField,
} from '../../model/customer.js';
import { formatPath } from '../../runtime/envelope.js';
import { withoutNulls } from '../../runtime/nulls.js';
import { choiceSetting } from '../../runtime/settings.js';
import { defineStep, fail, pass, skip, type ExceptionCode, type Outcome, type Unmatched } from '../../runtime/step.js';

const CODES = {
  POSSIBLE_DUPLICATE_CUSTOMER: {
    owner: 'customer service',
    action:
      'This customer looks like another one (the message names both records and why: the same company name, tax ' +
      'number, email domain and postcode, or shared id). Nothing was merged or linked. Check both records; merge or ' +
      'correct them in SparkLayer or the back-end (a shared id on one of them only), then run the sync again.',
  },
  NO_SHARED_CUSTOMER_ID: {
    owner: 'integration',
    action:
      'The customer has no shared identifier (link_by: the account code, SparkLayer accounting_id, or the back-end ' +
      'external id), so it cannot be linked. Set it on the record, or check the reader maps it, then run again.',
  },
  INVALID_CUSTOMER: {
    owner: 'integration',
    action:
      'A SparkLayer customer beside the records cannot be read (the message names the field). Fix the reader or ' +
      'the record, then run again; the other customers were linked.',
  },
} as const satisfies Record<string, ExceptionCode>;
type Code = keyof typeof CODES;

export const MASTERS = ['erp', 'sparklayer'] as const;
export const LINK_BY = ['account_code', 'external_id'] as const;

/**
 * Domains many unrelated people share: the same one with the same postcode is no sign of one company. Lower case;
 * a domain not here counts.
 */
export const FREE_MAIL_DOMAINS: ReadonlySet<string> = new Set([
  'gmail.com',
  'googlemail.com',
  'hotmail.com',
  'hotmail.co.uk',
  'outlook.com',
  'live.com',
  'live.co.uk',
  'msn.com',
  'yahoo.com',
  'yahoo.co.uk',
  'icloud.com',
  'me.com',
  'aol.com',
  'btinternet.com',
  'protonmail.com',
  'proton.me',
]);

const text = z.string({ error: 'must be text' });
const decimalText = /^\s*\d+(\.\d+)?\s*$/;
/** A canonical customer at the boundary: checked only, read as it came. */
export const customerSchema = z.looseObject({
  source: text.refine((value) => value.trim() !== '', 'must not be blank'),
  id: z.union([text.refine((value) => value.trim() !== '', 'must not be blank'), z.number()], {
    error: 'must be the record id, as text or a number',
  }),
  account_code: text.optional(),
  external_id: text.optional(),
  sparklayer_id: text.optional(),
  parent_id: text.optional(),
  company_name: text.optional(),
  email: text.optional(),
  tax_number: text.optional(),
  tax_exempt: z.boolean({ error: 'must be true or false' }).optional(),
  payment_terms: text.optional(),
  credit_limit: z
    .union([text, z.number()], { error: 'must be a decimal amount such as "5000.00"' })
    .refine(
      (value) => (typeof value === 'number' ? Number.isFinite(value) && value >= 0 : decimalText.test(value)),
      'must be a decimal amount of 0 or more, such as "5000.00"',
    )
    .optional(),
  group: text.optional(),
  address: z
    .looseObject({
      address_line1: text.optional(),
      city: text.optional(),
      postcode: text.optional(),
      country_code: text.optional(),
    })
    .optional(),
}) satisfies z.ZodType<CanonicalCustomer>;

const customerId = (record: unknown): string | null => {
  const id = (record as { id?: unknown } | null)?.id;
  return typeof id === 'string' || typeof id === 'number' ? String(id) : null;
};

const trimmed = (value: string | undefined): string | undefined => {
  const t = value?.trim();
  return t ? t : undefined;
};

/** Company name without case, punctuation, spacing, or a trailing Ltd / Limited / plc. */
export function normaliseCompany(name: string | undefined): string | undefined {
  if (name === undefined) return undefined;
  let words = name
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .split(/\s+/)
    .filter((word) => word !== '');
  while (words.length > 1 && ['ltd', 'limited', 'plc'].includes(words[words.length - 1]!)) words = words.slice(0, -1);
  const joined = words.join(' ');
  return joined === '' ? undefined : joined;
}

const normaliseTaxNumber = (value: string | undefined) => {
  const n = value?.toUpperCase().replace(/[^A-Z0-9]/g, '');
  return n ? n : undefined;
};

/** `domain|POSTCODE`, or undefined without either, or at a free-mail domain. */
function domainAndPostcode(customer: CanonicalCustomer): string | undefined {
  const domain = customer.email?.trim().toLowerCase().split('@')[1];
  const postcode = customer.address?.postcode?.toUpperCase().replace(/\s+/g, '');
  if (!domain || !postcode || FREE_MAIL_DOMAINS.has(domain)) return undefined;
  return `${domain}|${postcode}`;
}

interface Entry {
  /** 'erp' records, or 'sparklayer' beside. */
  side: 'erp' | 'sparklayer';
  index: number;
  customer: CanonicalCustomer;
  raw: unknown;
  shared?: string;
  /** The other entries it may duplicate, with why. */
  duplicates: Array<{ entry: Entry; signals: string[] }>;
  partner?: Entry;
  /** More records resemble it than `duplicates` names (MAX_NAMED_DUPLICATES). */
  moreDuplicates?: boolean;
}

const label = (entry: Entry) => `${entry.customer.source} ${String(entry.customer.id)}`;

/** The most other records one duplicate names: 3,000 copies of one company must not name each other 3,000 times. */
export const MAX_NAMED_DUPLICATES = 10;

/**
 * Finds each record that shares a signal with another, but a linked pair itself, naming up to MAX_NAMED_DUPLICATES
 * of the others (`moreDuplicates` when there are more): linear in the records, not quadratic.
 */
function findDuplicates(entries: readonly Entry[]): void {
  const signals: Array<[string, (entry: Entry) => string | undefined]> = [
    ['same company name', (e) => normaliseCompany(e.customer.company_name)],
    ['same tax number', (e) => normaliseTaxNumber(e.customer.tax_number)],
    ['same email domain and postcode', (e) => domainAndPostcode(e.customer)],
    ['same shared id', (e) => (e.shared === undefined ? undefined : `${e.side}|${e.shared}`)],
  ];
  const named = new Map<Entry, Map<Entry, string[]>>();
  for (const [signal, key] of signals) {
    const groups = new Map<string, Entry[]>();
    const keys = new Map<Entry, string>();
    for (const entry of entries) {
      const k = key(entry);
      if (k === undefined) continue;
      keys.set(entry, k);
      const group = groups.get(k) ?? [];
      group.push(entry);
      groups.set(k, group);
    }
    for (const group of groups.values()) {
      if (group.length < 2) continue;
      for (const a of group) {
        const partnerIn = a.partner !== undefined && keys.get(a.partner) === keys.get(a);
        const others = group.length - 1 - (partnerIn ? 1 : 0);
        if (others === 0) continue;
        const pairs = named.get(a) ?? new Map<Entry, string[]>();
        named.set(a, pairs);
        let listed = 0;
        for (const b of group) {
          if (b === a || b === a.partner) continue;
          const seen = pairs.get(b);
          if (seen) seen.push(signal);
          else if (pairs.size < MAX_NAMED_DUPLICATES) pairs.set(b, [signal]);
          else break;
          listed += 1;
        }
        if (listed < others) a.moreDuplicates = true;
      }
    }
  }
  for (const [entry, pairs] of named)
    entry.duplicates = [...pairs].map(([other, why]) => ({ entry: other, signals: why }));
}

/** Two credit limits as exact decimals (the schema lets only decimals through): 1000 equals "1000.00". */
const sameDecimal = (a: string | number, b: string | number) => new Big(String(a).trim()).eq(new Big(String(b).trim()));

function sameAddress(winner: CustomerAddress, loser: CustomerAddress | undefined): boolean {
  return (['address_line1', 'city', 'postcode', 'country_code'] as const).every(
    (field) => trimmed(winner[field]) === undefined || trimmed(winner[field]) === trimmed(loser?.[field]),
  );
}

/** The winner's mastered fields that the loser holds otherwise. */
function fieldUpdates(winner: CanonicalCustomer, loser: CanonicalCustomer): Partial<CanonicalCustomer> {
  const update: Partial<Record<MasteredField, unknown>> = {};
  for (const field of MASTERED_FIELDS) {
    const value = winner[field];
    if (value === undefined) continue;
    const other = loser[field];
    let same: boolean;
    if (field === 'credit_limit') same = other !== undefined && sameDecimal(value as string | number, other as string);
    else if (field === 'address') same = sameAddress(value as CustomerAddress, other as CustomerAddress | undefined);
    else if (typeof value === 'string') same = typeof other === 'string' && value.trim() === other.trim();
    else same = value === other;
    if (!same) update[field] = value;
  }
  return update as Partial<CanonicalCustomer>;
}

const describeDuplicates = (entry: Entry) =>
  `${label(entry)} may be the same customer as ` +
  entry.duplicates.map(({ entry: other, signals }) => `${label(other)} (${signals.join(', ')})`).join('; ') +
  (entry.moreDuplicates ? `; and others (the first ${MAX_NAMED_DUPLICATES} named)` : '') +
  ': not linked, nothing merged';
/** The others named by source and id (the record itself is kept whole; theirs would repeat each one many times). */
const duplicateDetails = (entry: Entry) => ({
  possible_duplicates: entry.duplicates.map(({ entry: other, signals }) => ({
    side: other.side,
    source: other.customer.source,
    id: other.customer.id,
    signals,
  })),
  ...(entry.moreDuplicates ? { more_possible_duplicates: true } : {}),
});

export const step = defineStep({
  key: 'link-customers',
  title: 'Link customers',
  purpose:
    'Pairs each back-end customer with its SparkLayer customer by the shared account code or external id, and ' +
    'gives the updates that make the link explicit on both sides and the master win; possible duplicates are held.',
  settings: {
    master: choiceSetting({
      description:
        'Which side wins on company name, address, group, tax status, payment terms and credit limit: `erp` (the ' +
        "back-end's values are written to SparkLayer) or `sparklayer` (SparkLayer's are written to the back-end).",
      default: 'erp',
      choices: MASTERS,
    }),
    link_by: choiceSetting({
      description:
        "What the SparkLayer customer's accounting_id equals on the back-end customer: `account_code` (NetSuite " +
        'entityId, X-Series customer_code) or `external_id` (NetSuite externalId).',
      default: 'account_code',
      choices: LINK_BY,
    }),
  },
  exceptionCodes: CODES,
  record: { schema: customerSchema, id: customerId, checkOnly: true },
  // A list, read customer by customer in the rule, so one bad SparkLayer customer never fails the others; absent is
  // none; anything but a list is a malformed read and fails the step, naming it.
  beside: z.looseObject({ sparklayer_customers: z.array(z.unknown()).nullable().optional() }),
  besideDropped: ['sparklayer_customers'],
  rule: (records, settings, beside) => {
    const { sparklayer_customers: given, ...rest } = beside;
    const unlinked: Array<{ id: unknown; account_code: string | null; reason: string }> = [];
    const unmatched: Unmatched<Code>[] = [];
    const sparklayer: Entry[] = [];
    let companyUsers = 0;
    (given ?? []).forEach((raw, index) => {
      const parsed = customerSchema.safeParse(withoutNulls(raw));
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        unmatched.push({
          id: customerId(raw),
          code: 'INVALID_CUSTOMER',
          message: `sparklayer_customers[${index}].${formatPath(issue.path)}: ${issue.message}`,
          record: raw,
        });
        return;
      }
      const customer = parsed.data as CanonicalCustomer;
      if (trimmed(customer.parent_id) !== undefined) {
        companyUsers += 1;
        return;
      }
      const entry: Entry = { side: 'sparklayer', index, customer, raw, duplicates: [] };
      entry.shared = trimmed(customer.account_code);
      sparklayer.push(entry);
    });
    const erp: Entry[] = records.map((customer, index) => ({
      side: 'erp',
      index,
      customer,
      raw: customer,
      shared: trimmed(settings.link_by === 'account_code' ? customer.account_code : customer.external_id),
      duplicates: [],
    }));
    // Partners first, so a pair is not its own duplicate; a shared id held twice on one side links nothing.
    const bySharedId = new Map<string, Entry[]>();
    for (const entry of sparklayer)
      if (entry.shared !== undefined) bySharedId.set(entry.shared, [...(bySharedId.get(entry.shared) ?? []), entry]);
    const erpCount = new Map<string, number>();
    for (const entry of erp)
      if (entry.shared !== undefined) erpCount.set(entry.shared, (erpCount.get(entry.shared) ?? 0) + 1);
    for (const entry of erp) {
      const partners = entry.shared === undefined ? [] : (bySharedId.get(entry.shared) ?? []);
      if (partners.length === 1 && erpCount.get(entry.shared!) === 1) {
        entry.partner = partners[0];
        partners[0]!.partner = entry;
      }
    }
    findDuplicates([...erp, ...sparklayer]);
    const held = (entry: Entry) => entry.shared === undefined || entry.duplicates.length > 0;

    const outcomes = erp.map((entry): Outcome<Code> => {
      if (entry.shared === undefined)
        return fail('NO_SHARED_CUSTOMER_ID', `${label(entry)} has no ${settings.link_by}, so it cannot be linked`);
      if (entry.duplicates.length > 0)
        return fail('POSSIBLE_DUPLICATE_CUSTOMER', describeDuplicates(entry), duplicateDetails(entry));
      const partner = entry.partner;
      if (partner === undefined)
        return skip(bySharedId.has(entry.shared) ? 'sparklayer-customer-held' : 'no-sparklayer-customer');
      if (held(partner)) return skip('sparklayer-customer-held');
      const [winner, loser] =
        settings.master === 'erp' ? [entry.customer, partner.customer] : [partner.customer, entry.customer];
      const fields = fieldUpdates(winner, loser);
      const erpUpdate: Record<string, unknown> = {};
      const sparkLayerUpdate: Record<string, unknown> = {};
      const sparkLayerId = String(partner.customer.id);
      if (trimmed(entry.customer.sparklayer_id) !== sparkLayerId) erpUpdate.sparklayer_id = sparkLayerId;
      const code = trimmed(entry.customer.account_code);
      if (code !== undefined && code !== partner.shared) sparkLayerUpdate.account_code = code;
      Object.assign(settings.master === 'erp' ? sparkLayerUpdate : erpUpdate, fields);
      return pass({
        link_by: settings.link_by,
        master: settings.master,
        shared_id: entry.shared,
        erp: { source: entry.customer.source, id: entry.customer.id, update: erpUpdate },
        sparklayer: { id: partner.customer.id, update: sparkLayerUpdate },
      });
    });

    for (const entry of sparklayer) {
      const base = { id: entry.customer.id, account_code: entry.shared ?? null };
      if (entry.shared === undefined)
        unmatched.push({
          id: customerId(entry.raw),
          code: 'NO_SHARED_CUSTOMER_ID',
          message: `${label(entry)} has no account_code (accounting_id), so it cannot be linked`,
          record: entry.raw,
        });
      else if (entry.duplicates.length > 0)
        unmatched.push({
          id: customerId(entry.raw),
          code: 'POSSIBLE_DUPLICATE_CUSTOMER',
          message: describeDuplicates(entry),
          record: entry.raw,
          details: duplicateDetails(entry),
        });
      else if (entry.partner === undefined || held(entry.partner))
        unlinked.push({
          ...base,
          reason: entry.partner === undefined && !erpCount.has(entry.shared) ? 'no-erp-customer' : 'partner-held',
        });
    }
    return {
      outcomes,
      unmatched,
      write: { ...rest, unlinked_sparklayer_customers: unlinked },
      counts: { sparklayer_customers_unlinked: unlinked.length, sparklayer_company_users: companyUsers },
    };
  },
});

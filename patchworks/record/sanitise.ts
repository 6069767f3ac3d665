/**
 * Makes recorded vendor data safe to commit as fixtures: personal data is replaced by pseudonyms, and
 * credentials and tokens are removed. Pseudonyms come from a keyed hash with a fresh key per recording,
 * so the same customer keeps the same pseudonym across files (relations survive) but cannot be looked up.
 * Values learnt from personal fields (a name, a street) are also replaced where they turn up in free text.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { Redactor } from '../../connectors/http/redact.js';

export const SANITISER_VERSION = 'pack-sanitiser/1';

type Kind = 'name' | 'company' | 'email' | 'phone' | 'street' | 'postcode' | 'address-text' | 'secret';

/** Field names (any depth, any vendor) whose values are personal data or credentials. */
const FIELD_KINDS: Record<string, Kind> = {
  first_name: 'name',
  last_name: 'name',
  full_name: 'name',
  contact_name: 'name',
  company_name: 'company',
  company: 'company',
  email: 'email',
  phone: 'phone',
  mobile: 'phone',
  telephone: 'phone',
  address_line1: 'street',
  address_line2: 'street',
  address1: 'street',
  address2: 'street',
  street: 'street',
  postcode: 'postcode',
  zip: 'postcode',
  calculated_shipping_address: 'address-text',
  access_token: 'secret',
  refresh_token: 'secret',
  client_secret: 'secret',
  password: 'secret',
};

const EMAIL_IN_TEXT = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;

export class Sanitiser {
  private readonly key: Buffer;
  private readonly redactor = new Redactor();
  /** Personal values seen in personal fields, longest first, to find them again in free text. */
  private known: Array<{ text: string; kind: Kind }> = [];

  /** `secrets`: values that must not survive anywhere (client secret, tokens seen during the recording). */
  constructor(secrets: Array<string | undefined> = [], key: Buffer = randomBytes(32)) {
    this.key = key;
    for (const secret of secrets) this.redactor.add(secret);
  }

  addSecret(secret: string): void {
    this.redactor.add(secret);
  }

  /** Learns the personal values in a body without changing it; learn every body before sanitising any. */
  learn(value: unknown, field?: string): void {
    if (Array.isArray(value)) value.forEach((item) => this.learn(item, field));
    else if (value !== null && typeof value === 'object')
      Object.entries(value).forEach(([key, inner]) => this.learn(inner, key));
    else if (typeof value === 'string' && field !== undefined) {
      const kind = FIELD_KINDS[field.toLowerCase()];
      const text = value.trim();
      if (kind !== undefined && kind !== 'secret' && text.length >= 3 && !this.known.some((k) => k.text === text)) {
        this.known.push({ text, kind });
        this.known.sort((a, b) => b.text.length - a.text.length);
      }
    }
  }

  sanitise<T>(value: T): T {
    this.learn(value);
    return this.walk(value, undefined) as T;
  }

  private walk(value: unknown, field: string | undefined): unknown {
    if (Array.isArray(value)) return value.map((item) => this.walk(item, field));
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, this.walk(inner, key)]));
    }
    if (typeof value !== 'string' || value === '') return value;
    const kind = field === undefined ? undefined : FIELD_KINDS[field.toLowerCase()];
    if (kind !== undefined) return this.pseudonym(kind, value);
    let text = this.redactor.redact(value).replace(EMAIL_IN_TEXT, (email) => this.pseudonym('email', email));
    for (const { text: personal, kind: personalKind } of this.known) {
      if (text.includes(personal)) text = text.split(personal).join(this.pseudonym(personalKind, personal));
    }
    return text;
  }

  private pseudonym(kind: Kind, value: string): string {
    const tag = createHmac('sha256', this.key)
      .update(`${kind}:${value.trim().toLowerCase()}`)
      .digest('hex')
      .slice(0, 8);
    const digits = String(parseInt(tag.slice(0, 6), 16) % 1_000_000).padStart(6, '0');
    switch (kind) {
      case 'name':
        return `Person ${tag}`;
      case 'company':
        return `Company ${tag}`;
      case 'email':
        return `user-${tag}@example.com`;
      case 'phone':
        // Ofcom's range for drama: never a real number.
        return `+44 20 7946 0${digits.slice(0, 3)}`;
      case 'street':
        return `${parseInt(tag.slice(0, 2), 16)} Example Street`;
      case 'postcode':
        return 'ZZ99 9ZZ';
      case 'address-text':
        return `Example address ${tag}`;
      case 'secret':
        return '[redacted]';
    }
  }
}

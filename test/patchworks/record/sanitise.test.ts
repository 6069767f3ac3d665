import { describe, expect, it } from 'vitest';
import { Sanitiser } from '../../../patchworks/record/sanitise.js';

const customer = {
  id: 'a1b2c3d4-0000-4000-8000-000000000001',
  email: 'Jane.Buyer@acme-trade.co.uk',
  first_name: 'Jane',
  last_name: 'Buyer',
  company_name: 'Acme Trade Ltd',
  accounting_id: 'ACME001',
  addresses: [
    { address_line1: '12 Mill Lane', city: 'Leeds', postcode: 'LS1 4AB', phone: '07700 900123', country_code: 'GB' },
  ],
  notes: 'Call jane.buyer@acme-trade.co.uk before delivery',
  access_token: 'eyJhbGciOi.secret.part',
  payment_on_account: { credit_limit: '5000.00' },
};

describe('the sanitiser', () => {
  const sanitiser = new Sanitiser(['client-secret-xyz']);
  const clean = sanitiser.sanitise(customer);
  const text = JSON.stringify(clean);

  it('replaces names, emails, phones, streets and postcodes wherever they are', () => {
    for (const personal of ['Jane', 'Buyer', 'acme-trade', 'Acme Trade', '12 Mill Lane', 'LS1 4AB', '07700 900123']) {
      expect(text).not.toContain(personal);
    }
    expect(clean.email).toMatch(/^user-[0-9a-f]{8}@example\.com$/);
    expect(clean.addresses[0]!.phone).toMatch(/^\+44 20 7946 0\d{3}$/);
  });

  it('keeps what is not personal: ids, account codes, money, city and country', () => {
    expect(clean).toMatchObject({
      id: customer.id,
      accounting_id: 'ACME001',
      payment_on_account: { credit_limit: '5000.00' },
      addresses: [{ city: 'Leeds', country_code: 'GB' }],
    });
  });

  it('gives the same person the same pseudonym, so relations survive, ignoring case', () => {
    expect(clean.notes).toBe(`Call ${clean.email} before delivery`);
  });

  it('removes credentials: token fields, configured secrets and bearer tokens in text', () => {
    expect(clean.access_token).toBe('[redacted]');
    const other = sanitiser.sanitise({ detail: 'secret client-secret-xyz, header Bearer abc.def' });
    expect(other.detail).toBe('secret [redacted], header Bearer [redacted]');
  });

  it('replaces a personal value learnt from one body where it turns up as free text in another', () => {
    const recording = new Sanitiser();
    const note = { custom_fields: [{ name: 'Delivery note', value: 'Ask for Jane Buyer at 12 Mill Lane' }] };
    recording.learn(customer);
    const cleanNote = JSON.stringify(recording.sanitise(note));
    expect(cleanNote).not.toMatch(/Jane|Buyer|12 Mill Lane/);
    expect(cleanNote).toContain('Delivery note');
  });

  it('uses a fresh key per recording: pseudonyms cannot be matched across recordings', () => {
    expect(new Sanitiser().sanitise(customer).email).not.toBe(clean.email);
  });
});

import { describe, expect, it } from 'vitest';
import { codeLikeName } from '../../../src/scan/names/code-like-name.js';
import { secretLikeName } from '../../../src/scan/names/secret-like-name.js';

describe('codeLikeName', () => {
  it.each([
    'id',
    'customer_id',
    'kundId',
    'created_at',
    'updatedAt',
    'created_on',
    'created',
    'updated',
    'login_count',
    'ssn_hash',
    'status',
    'type',
    'kind',
    'country_code',
    'sku',
    'ean',
    'gtin',
    'order_number',
    'ordernummer',
    'fakturanummer',
    'invoice_number',
    'ocr',
    'version',
    'amount',
    'belopp',
    'price',
    'pris',
    'currency',
    'count',
    'antal',
    'is_active',
    'has_phone',
    'email_verified',
    'phone_confirmed',
    'email_sent_at',
    'mail_count',
    'name_changed_at',
    'email_verified_at',
    'phone_country_code',
    'ip_country',
    'email_domain',
    'mail_template',
    'email_provider',
    'phone_type',
    // Swedish `personal` is staff: `personal_id` is a staff member's key, not a personal identity number.
    'personal_id',
  ])('%s is code-like', (column) => {
    expect(codeLikeName(column)).toBe(true);
  });

  it.each([
    'email',
    'phone_number',
    'zip_code',
    'postal_code',
    'post_code',
    'national_id',
    'born_on',
    'birth_date',
    'last_login_ip',
    'förnamn',
    'name',
    'password',
    'password_hash',
    'reset_token',
    'email_confirmation_token',
    'api_key',
    'notes',
    '',
  ])('%s is not code-like', (column) => {
    expect(codeLikeName(column)).toBe(false);
  });
});

describe('secretLikeName', () => {
  it.each(['password', 'password_hash', 'lösenord', 'reset_token', 'email_confirmation_token', 'api_key', 'apiKey', 'token_expires_at', 'totp_secret'])(
    '%s is a secret',
    (column) => {
      expect(secretLikeName(column)).toBe(true);
    },
  );

  it.each(['email', 'keyword', 'monkey', 'customer_id', 'notes'])('%s is not', (column) => {
    expect(secretLikeName(column)).toBe(false);
  });
});

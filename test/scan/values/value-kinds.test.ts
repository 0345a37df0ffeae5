import { describe, expect, it } from 'vitest';
import { valueKinds } from '../../../src/scan/values/value-kinds.js';

const kinds = (value: string): readonly string[] => valueKinds(value);

describe('valueKinds', () => {
  it.each([
    ['811218-9876', ['personnummer']],
    ['19811218-9876', ['personnummer']],
    ['198112189876', ['personnummer']],
    ['8112189876', ['personnummer']],
    ['811218+9876', ['personnummer']],
    ['811278-9873', ['samordningsnummer']],
    ['5560360793', ['organisationsnummer']],
    ['556036-0793', ['organisationsnummer']],
    ['165560360793', ['organisationsnummer']],
    ['070-123 45 67', ['phone']],
    ['08-123 456 78', ['phone']],
    ['+46 70 123 45 67', ['phone']],
    ['0046701234567', ['phone']],
    ['+1 415 555 2671', ['phone']],
    ['+44-20-7946-0958', ['phone']],
    ['anna.svensson@example.se', ['email']],
    ['SE45 5000 0000 0583 9825 7466', ['iban']],
    ['SE4550000000058398257466', ['iban']],
    ['GB82 WEST 1234 5698 7654 32', ['iban']],
    ['4111 1111 1111 1111', ['payment_card']],
    ['4111-1111-1111-1111', ['payment_card']],
    ['4111111111111111', ['payment_card']],
    ['5555555555554444', ['payment_card']],
    ['2223000048400011', ['payment_card']],
    ['378282246310005', ['payment_card']],
    ['3782 822463 10005', ['payment_card']],
    ['10.0.0.1', ['ip']],
    ['192.168.0.0/16', ['ip']],
    ['2001:db8::1', ['ip']],
    ['::1', ['ip']],
    ['114 55', ['postal_code']],
    ['11455', ['postal_code']],
    ['59.3293235', ['geo']],
    ['-122.4194', ['geo']],
    ['Anna', ['first_name']],
    ['ANNA', ['first_name']],
    ['Ann-Marie', ['first_name']],
    ['Svensson', ['last_name']],
    ['Anna Svensson', ['full_name']],
    ['Anna Maria Svensson', ['full_name']],
    ['Zwetschke Svensson', ['full_name']],
    ['Storgatan 12', ['street']],
    ['Kungsgatan 5B', ['street']],
    ['Stora gatan 5', ['street']],
    ['Drottninggatan 5, lgh 1102', ['street']],
    ['12 Main Street', ['street']],
    ['Main St. 4', ['street']],
    ['  anna@example.se \n', ['email']],
  ])('%s is %j', (value, expected) => {
    expect(kinds(value)).toEqual(expected);
  });

  it('gives every kind of an ambiguous value: a bare mobile number that is also a valid personnummer', () => {
    expect(kinds('0702263153')).toEqual(['personnummer', 'phone']);
  });

  it('counts a version string of four small parts as an address: it is a valid IPv4 text (the column name tells them apart)', () => {
    expect(kinds('1.2.3.4')).toEqual(['ip']);
    expect(kinds('1.2.3')).toEqual([]);
    expect(kinds('1.2.300.4')).toEqual([]);
  });

  it.each([
    'SKU-12345',
    'ORD-2024-0001',
    '100234',
    '42',
    '4006381333931', // EAN-13
    '7310865004703', // EAN-13, Swedish prefix
    '8112189875', // personnummer's shape, wrong Luhn digit
    '8113329876', // no such date
    '5560360794', // organisationsnummer, wrong Luhn digit
    '4111111111111112', // card, wrong Luhn digit
    '9111111111111111', // no known issuer
    'SE45 5000 0000 0583 9825 7467', // wrong IBAN check
    'DE12ABCDEF0123456789abcdef0123456789abcd', // hex that starts like an IBAN
    'da39a3ee5e6b4b0d3255bfef95601890afd80709', // git SHA
    'd41d8cd98f00b204e9800998ecf8427e', // MD5
    '123e4567-e89b-12d3-a456-426614174000', // UUID
    '2024-01-15 10:30:00+01',
    '2024-01-15',
    '20240115',
    '10:30:00',
    '1234.50',
    '-17.5',
    '0.5',
    '1234.567890', // four decimals, past −180..180
    '181.12345',
    'Plan 3',
    'Room 12',
    'anna',
    'Stockholm',
    'Volvo',
    'New York',
    'Customer Support',
    'active',
    'true',
    '',
    '   ',
    '00:1a:2b:3c:4d:5e', // MAC address
  ])('%j is no kind', (value) => {
    expect(kinds(value)).toEqual([]);
  });

  it('decides birth dates not from values: dates are everywhere', () => {
    expect(kinds('1981-12-18')).toEqual([]);
    expect(kinds('19811218')).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { ibanValid } from '../../src/transformers/iban.js';
import { build, session } from './support.js';

describe('text.scrub', () => {
  it('replaces each finding with the pseudonym its column transformer gives', () => {
    const s = session();
    const scrub = build(s, 'text.scrub', { column: 'notes' });
    const pnr = build(s, 'se.personnummer', { column: 'personnummer' });
    const mail = build(s, 'email', { column: 'email' });
    const phone = build(s, 'se.phone', { column: 'phone' });
    const note = 'Kund 811218-9876 (även 198112189876) ringde från 070-123 45 67, mejl karin.a@gmail.com. Samordning: 701063-2391.';
    const out = scrub(note)!;
    expect(out).toBe(
      `Kund ${pnr('811218-9876')!} (även ${pnr('198112189876')!}) ringde från ${phone('070-123 45 67')!}, mejl ${mail('karin.a@gmail.com')!}. Samordning: ${pnr('701063-2391')!}.`,
    );
    for (const secret of ['811218-9876', '198112189876', '123 45 67', 'karin.a@gmail.com', '701063-2391']) expect(out).not.toContain(secret);
  });

  it('uses the options the column rules use', () => {
    const s = session();
    const scrub = build(s, { transform: 'text.scrub', options: { personnummer: { pool: 'synthetic', keep_birth: 'year' }, email: { domain: 'crm.test' } } });
    const pnr = build(s, { transform: 'se.personnummer', options: { pool: 'synthetic', keep_birth: 'year' } });
    const mail = build(s, { transform: 'email', options: { domain: 'crm.test' } });
    expect(scrub('pnr 811218-9876, a@b.se')).toBe(`pnr ${pnr('811218-9876')!}, ${mail('a@b.se')!}`);
    expect(mail('a@b.se')).toMatch(/@crm\.test$/);
  });

  it('masks an IBAN with right check digits, keeping country, bank and spacing', () => {
    const scrub = build(session(), 'text.scrub');
    const out = scrub('Betala till SE45 5000 0000 0583 9825 7466 snarast')!;
    const iban = /SE\d\d(?: \d{4}){5}/.exec(out)![0];
    expect(iban).not.toBe('SE45 5000 0000 0583 9825 7466');
    expect(iban.slice(0, 2)).toBe('SE');
    expect(iban.slice(5, 9)).toBe('5000');
    expect(ibanValid(iban.replace(/ /g, ''))).toBe(true);
    expect(scrub('GB82WEST12345698765432')).not.toBe('GB82WEST12345698765432');
    expect(ibanValid(scrub('GB82WEST12345698765432')!)).toBe(true);
  });

  it('leaves the rest alone: ordinary numbers, impossible dates, text, unicode', () => {
    const scrub = build(session(), 'text.scrub');
    for (const text of ['Order 4711 levererad', 'Faktura 1234567890 (datum 12/13)', 'Räksmörgås 😀 åäö', '', 'Ref 991399-1234', 'AB12 CDEF GHIJ']) {
      expect(scrub(text)).toBe(text);
    }
  });

  it('finds only what `find` names', () => {
    const scrub = build(session(), { transform: 'text.scrub', options: { find: ['email'] } });
    expect(scrub('811218-9876 a@b.se')!.startsWith('811218-9876 ')).toBe(true);
    expect(scrub('811218-9876 a@b.se')).not.toContain('a@b.se');
  });
});

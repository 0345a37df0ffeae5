import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { base, en, Faker, sv } from '@faker-js/faker';
import { luhnCheckDigit, luhnValid } from '../../../src/se/luhn.js';

const SKATTEVERKET = new URL('../../../data/skatteverket/', import.meta.url);

function readList(file: string): string[] {
  return readFileSync(new URL(file, SKATTEVERKET), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => /^\d{12}$/.test(l));
}

/** The formats a personnummer is written in across the held-out tables. */
export type PnrFormat = '12' | '12-' | '10' | '10-';

/** Writes a 12-digit identity number in one of the usual formats. */
export function formatPnr(n12: string, format: PnrFormat): string {
  switch (format) {
    case '12':
      return n12;
    case '12-':
      return `${n12.slice(0, 8)}-${n12.slice(8)}`;
    case '10':
      return n12.slice(2);
    case '10-':
      return `${n12.slice(2, 8)}-${n12.slice(8)}`;
  }
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** IBAN check digits (ISO 13616, mod 97). */
export function ibanFor(country: string, bban: string): string {
  const rearranged = `${bban}${country}00`.replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  let rest = 0;
  for (const ch of rearranged) rest = (rest * 10 + (ch.charCodeAt(0) - 48)) % 97;
  return `${country}${pad(98 - rest, 2)}${bban}`;
}

/** Whether 10 digits could be read as a personnummer/samordningsnummer (date-like and Luhn-valid). */
function identityLike(d10: string): boolean {
  const month = Number(d10.slice(2, 4));
  const day = Number(d10.slice(4, 6));
  const dayOk = (day >= 1 && day <= 31) || (day >= 61 && day <= 91);
  return month >= 1 && month <= 12 && dayOk && luhnValid(d10);
}

/** Seeded generators of every kind of value the held-out database holds. Deterministic for a seed. */
export function makeValues(seed = 20261207) {
  const fsv = new Faker({ locale: [sv, en, base] });
  const fen = new Faker({ locale: [en, base] });
  fsv.seed(seed);
  fen.seed(seed + 1);
  const f = fsv;
  const pnrAll = readList('testpersonnummer.txt');
  const snrAll = readList('testsamordningsnummer.txt');
  const byYears = (from: number, to: number) => pnrAll.filter((n) => Number(n.slice(0, 4)) >= from && Number(n.slice(0, 4)) <= to);
  const pools = {
    child: byYears(2008, 2019),
    adult: byYears(1960, 1995),
    snr: snrAll.filter((n) => Number(n.slice(0, 4)) >= 1950),
  };
  const cursors = { child: 0, adult: 0, snr: 0 };
  /** The next unused number of a pool (unique within a build, wrapping when exhausted). */
  const next = (pool: keyof typeof pools): string => {
    const list = pools[pool];
    const n = list[(cursors[pool] * 7919) % list.length]!;
    cursors[pool]++;
    return n;
  };
  const digits = (n: number) => f.string.numeric({ length: n, allowLeadingZeros: true });
  const pick = <T>(xs: readonly T[]): T => f.helpers.arrayElement(xs);
  const mobile = () => `07${pick(['0', '2', '3', '6', '9'])}${digits(7)}`;
  const landline = () => `${pick(['08', '031', '040', '018', '013', '090'])}${digits(pick([6, 7]))}`;

  const v = {
    f,
    fen,
    pick,
    digits,
    int: (min: number, max: number) => f.number.int({ min, max }),
    bool: (p = 0.5) => f.datatype.boolean(p),
    maybe: <T>(p: number, make: () => T): T | null => (f.datatype.boolean(p) ? make() : null),
    childPnr: () => next('child'),
    adultPnr: () => next('adult'),
    samordningsnummer: () => next('snr'),
    /** A made-up personnummer: a real date and a correct check digit, not on Skatteverket's list. */
    syntheticPnr: (fromYear: number, toYear: number) => {
      const d = f.date.between({ from: `${fromYear}-01-01T00:00:00Z`, to: `${toYear}-12-31T00:00:00Z` });
      const ymd = `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1, 2)}${pad(d.getUTCDate(), 2)}`;
      const body = `${ymd.slice(2)}${digits(3)}`;
      return `${ymd}${body.slice(6)}${luhnCheckDigit(body)}`;
    },
    /** An organisationsnummer (NNNNNN-NNNN, third digit ≥ 2, Luhn). */
    orgnr: (group = pick(['5', '5', '5', '7', '8', '9', '2'])) => {
      const body = `${group}${digits(1)}${v.int(2, 9)}${digits(6)}`;
      return `${body.slice(0, 6)}-${body.slice(6)}${luhnCheckDigit(body)}`;
    },
    /** Ten or twelve digits that are not an identity number: a wrong check digit or an impossible date. */
    notIdentity: (length: 10 | 12) => {
      for (;;) {
        const d = digits(length);
        if (!identityLike(d.slice(-10))) return d;
      }
    },
    /** A Luhn-valid OCR reference of the given length, never date-like. */
    ocr: (length: number) => {
      for (;;) {
        const body = digits(length - 1);
        const n = `${body}${luhnCheckDigit(body)}`;
        if (length !== 10 || !identityLike(n)) return n;
      }
    },
    mobile,
    /** A Swedish phone number in one of the many ways people write them. */
    phone: (): string => {
      const m = mobile();
      const l = landline();
      switch (v.int(0, 9)) {
        case 0:
          return m;
        case 1:
          return `${m.slice(0, 3)}-${m.slice(3, 6)} ${m.slice(6, 8)} ${m.slice(8)}`;
        case 2:
          return `+46${m.slice(1)}`;
        case 3:
          return `+46 ${m.slice(1, 3)} ${m.slice(3, 6)} ${m.slice(6, 8)} ${m.slice(8)}`;
        case 4:
          return `0046${m.slice(1)}`;
        case 5:
          return `${m.slice(0, 3)} ${m.slice(3, 6)} ${m.slice(6)}`;
        case 6:
          return l.startsWith('08') ? `08-${l.slice(2, 5)} ${l.slice(5, 7)} ${l.slice(7)}` : `${l.slice(0, 3)}-${l.slice(3)}`;
        case 7:
          return `(${l.slice(0, 3)}) ${l.slice(3)}`;
        case 8:
          return `${m.slice(0, 3)}-${m.slice(3)}`;
        default:
          return l;
      }
    },
    /** E.164 with or without the plus. */
    e164: (plus = true) => `${plus ? '+' : ''}46${mobile().slice(1)}`,
    email: (first: string, last: string, domain?: string) => {
      const d = domain ?? pick(['gmail.com', 'hotmail.com', 'outlook.com', 'telia.com', 'icloud.com', 'live.se', 'yahoo.se', 'bredband.net']);
      const clean = (s: string) =>
        s
          .toLowerCase()
          .normalize('NFD')
          .replace(/[\u0300-\u036f]/g, '')
          .replace(/[^a-z]/g, '');
      return `${clean(first)}${pick(['.', '_', '', '.'])}${clean(last)}${v.maybe(0.3, () => v.int(1, 99)) ?? ''}@${d}`;
    },
    firstName: () => f.person.firstName(),
    lastName: () => f.person.lastName(),
    enFirst: () => fen.person.firstName(),
    enLast: () => fen.person.lastName(),
    street: () => `${f.location.street()} ${v.int(1, 140)}${v.maybe(0.2, () => pick(['A', 'B', ' lgh 1102', ' 3 tr'])) ?? ''}`,
    postalCode: () => `${v.int(100, 984)} ${pad(v.int(0, 99), 2)}`,
    city: () => f.location.city(),
    lat: () => Number(f.number.float({ min: 55.4, max: 67.8, fractionDigits: 6 })),
    lng: () => Number(f.number.float({ min: 11.2, max: 23.5, fractionDigits: 6 })),
    ipv4: () => f.internet.ipv4(),
    ipv6: () => f.internet.ipv6(),
    ip: () => (f.datatype.boolean(0.75) ? f.internet.ipv4() : f.internet.ipv6()),
    seIban: () => ibanFor('SE', `${pick(['500', '800', '300', '600', '950'])}${digits(17)}`),
    anyIban: () => pick([() => v.seIban(), () => ibanFor('DE', digits(18)), () => ibanFor('NO', digits(11)), () => ibanFor('FI', digits(14)), () => ibanFor('DK', digits(14))])(),
    /** A Swedish bank account: clearing number and account number, written several ways. */
    bankAccount: () => {
      const clearing = pick(['8327-9', '6152', '5001', '3300', '9150', '1234', '8105-9']);
      const account = digits(pick([7, 9, 10]));
      return pick([`${clearing}, ${account}`, `${clearing}-${account}`, `${clearing.replace('-', '')} ${account}`, `${clearing.replace('-', '')}${account}`]);
    },
    /** A Luhn-valid 16-digit card number, sometimes grouped. */
    card: () => {
      const body = `${pick(['4', '51', '52', '55', '4571'])}`;
      const rest = digits(15 - body.length);
      const n = `${body}${rest}${luhnCheckDigit(`${body}${rest}`)}`;
      return f.datatype.boolean(0.5) ? n : n.replace(/(\d{4})(?=\d)/g, '$1 ');
    },
    /** EAN-13 with a correct check digit. */
    ean13: () => {
      const body = `73${digits(10)}`;
      let sum = 0;
      for (let k = 0; k < 12; k++) sum += (body.charCodeAt(k) - 48) * (k % 2 === 0 ? 1 : 3);
      return `${body}${(10 - (sum % 10)) % 10}`;
    },
    sha256: (s: string) => createHash('sha256').update(s).digest('hex'),
    uuid: () => f.string.uuid(),
    apiKey: (prefix: string) => `${prefix}${f.string.alphanumeric(32)}`,
    userAgent: () => fen.internet.userAgent(),
    url: (path: string) => `https://${pick(['cdn.example.com', 'files.skolplattform.se', 'hooks.acme.io'])}/${path}/${f.string.alphanumeric(12)}`,
    version: () => `${v.int(0, 5)}.${v.int(0, 20)}.${v.int(0, 40)}`,
    /** A timestamp as ISO text, between two years. */
    ts: (from = 2023, to = 2026) => f.date.between({ from: `${from}-01-01T00:00:00Z`, to: `${to}-06-30T00:00:00Z` }).toISOString(),
    date: (from = 2023, to = 2026) => v.ts(from, to).slice(0, 10),
    /** The date of birth a 12-digit identity number holds. */
    birthDateOf: (n12: string) => `${n12.slice(0, 4)}-${n12.slice(4, 6)}-${pad(Number(n12.slice(6, 8)) % 60, 2)}`,
    sentence: () => f.lorem.sentence(),
  };
  return v;
}

/** The value generators of one build. */
export type Values = ReturnType<typeof makeValues>;

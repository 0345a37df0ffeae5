import type { DomainPrf } from '../../random/prf.js';
import { pickFrom } from '../../random/prf.js';
import { AGE_CLASS_NAMES, type AgeClass, AgePool } from '../../se/age-pool.js';
import { type Today, today as todayNow } from '../../se/calendar.js';
import { formatIdentityNumber, type IdentityForm, type IdentityNumber, parseIdentityNumber, twelveDigits } from '../../se/identity-number.js';
import { IdentityPool } from '../../se/identity-pool.js';
import { syntheticIdentity } from '../../se/synthetic-identity.js';
import { loadTestNumbers, siblingLocation, type TestdataLocation, type TestNumberKind } from '../../se/testdata.js';
import type { TransformerContext } from '../transformer.js';
import { claimUnique, noneLeft, uniqueState } from './unique.js';

/** Options shared by se.personnummer and se.samordningsnummer. */
export interface IdentityOptions {
  readonly pool?: 'official' | 'synthetic';
  readonly keep_sex?: boolean;
  readonly keep_birth?: 'age' | 'none' | 'decade' | 'year' | 'date';
  readonly pool_file?: string;
}

/** The options schema of se.personnummer and se.samordningsnummer. */
export const identityOptionsSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    pool: {
      enum: ['official', 'synthetic'],
      default: 'official',
      description: "official: Skatteverket's test numbers. synthetic: a keyed, format-preserving bijection (unique by construction; may coincide with real people's numbers).",
    },
    keep_sex: { type: 'boolean', default: true, description: 'Keep the sex digit (odd for men).' },
    keep_birth: {
      enum: ['age', 'none', 'decade', 'year', 'date'],
      description:
        "What of the birth date to keep. official: age (default), none, decade or year. synthetic: decade (default), year or date. age keeps a realistic age: nobody crosses 18 or 100 (an adult stays an adult, a minor a minor), and the birth decade is kept as far as the test list allows (with unique: true, once a decade's test numbers are taken, the nearest decade's are used). none keeps nothing but the side of 100: an adult may become a child. decade and year keep the birth decade or year strictly (unique: true then fails when the list runs short for one), and may cross 18.",
    },
    pool_file: {
      type: 'string',
      minLength: 1,
      description: 'Path of a test list to use instead of the one a run reads by default (PGMASK_TESTDATA_DIR, a newer fetched list, or the lists shipped with pgmask).',
    },
  },
  if: { properties: { pool: { const: 'synthetic' } }, required: ['pool'] },
  then: { properties: { keep_birth: { enum: ['decade', 'year', 'date'] } } },
  else: { properties: { keep_birth: { enum: ['age', 'none', 'decade', 'year'] } } },
} as const;

/** The 10 and 12-digit forms of an identity number, at most 13 characters. */
export const IDENTITY_MAX_LENGTH = 13;

function location(context: TransformerContext, options: IdentityOptions, kind: TestNumberKind, primary: TestNumberKind): TestdataLocation {
  const base: TestdataLocation = { dir: context.testdataDir, env: context.env ?? process.env };
  if (!options.pool_file) return base;
  const withFile: TestdataLocation = { ...base, file: options.pool_file };
  return kind === primary ? withFile : siblingLocation(withFile, kind);
}

/** The date `years` before the run's, as YYYYMMDD. */
function yearsAgo(context: TransformerContext, years: number): number {
  const t = context.today ?? todayNow();
  return (t.year - years) * 10000 + t.month * 100 + t.day;
}

function testList(context: TransformerContext, options: IdentityOptions, kind: TestNumberKind, primary: TestNumberKind): ReturnType<typeof loadTestNumbers> {
  const where = location(context, options, kind, primary);
  return context.resource(`testdata\0${kind}\0${where.file ?? where.dir ?? ''}`, () => {
    const loaded = loadTestNumbers(kind, where);
    if (loaded.dropped > 0) {
      context.warn('TESTDATA_DROPPED', `${loaded.dropped} entries of the test ${kind} list ${loaded.path} have impossible dates or check digits and were left out`);
    }
    return loaded;
  });
}

function officialPool(context: TransformerContext, options: IdentityOptions, kind: TestNumberKind, primary: TestNumberKind): IdentityPool {
  const keepSex = options.keep_sex ?? true;
  const keepBirth = (options.keep_birth ?? 'none') as 'none' | 'decade' | 'year';
  const list = testList(context, options, kind, primary);
  const since = String(yearsAgo(context, 100));
  return context.resource(`pool\0${list.path}\0${keepSex}\0${keepBirth}\0${since}`, () => new IdentityPool(list.numbers, keepSex, keepBirth, since));
}

function agePool(context: TransformerContext, options: IdentityOptions, kind: TestNumberKind, primary: TestNumberKind): AgePool {
  const keepSex = options.keep_sex ?? true;
  const list = testList(context, options, kind, primary);
  const [adult, hundred] = [yearsAgo(context, 18), yearsAgo(context, 100)];
  return context.resource(`age-pool\0${list.path}\0${keepSex}\0${adult}`, () => new AgePool(list.numbers, keepSex, adult, hundred));
}

/** How a value that is no identity number is written back: its digit count and dash, as far as they go. */
function guessForm(value: string): IdentityForm {
  const digits = value.replace(/\D/g, '').length;
  return digits === 10 ? { digits: 10, separator: '-' } : { digits: 12, separator: value.includes('-') ? '-' : '' };
}

/**
 * Builds the masker of personnummer and samordningsnummer. `force` makes every output the
 * given kind (se.samordningsnummer); else a samordningsnummer stays one and a personnummer
 * stays one. The PRF works on the 12-digit form, so 10 and 12-digit spellings agree.
 */
export function identityMasker(context: TransformerContext, options: IdentityOptions, force?: TestNumberKind): (value: string | null) => string | null {
  const prf: DomainPrf = context.prf('se.personnummer');
  const today: Today | undefined = context.today;
  const primary: TestNumberKind = force ?? 'personnummer';
  const synthetic = options.pool === 'synthetic';
  if (synthetic) {
    context.warn('SYNTHETIC_PERSONNUMMER', "pool: synthetic writes Luhn-valid identity numbers that are not in Skatteverket's test lists: some may belong to real people");
  }
  const keepSex = options.keep_sex ?? true;
  const keepBirth = options.keep_birth ?? (synthetic ? 'decade' : 'age');
  const pools = new Map<TestNumberKind, IdentityPool>();
  const poolOf = (kind: TestNumberKind): IdentityPool => {
    let pool = pools.get(kind);
    if (!pool) pools.set(kind, (pool = officialPool(context, options, kind, primary)));
    return pool;
  };
  const agePools = new Map<TestNumberKind, AgePool>();
  const agePoolOf = (kind: TestNumberKind): AgePool => {
    let pool = agePools.get(kind);
    if (!pool) agePools.set(kind, (pool = agePool(context, options, kind, primary)));
    return pool;
  };
  // Load now, so that a missing list fails before any row moves.
  if (!synthetic && keepBirth === 'age') agePoolOf(primary);
  else if (!synthetic) poolOf(primary);
  const states = context.unique ? new Map<string, ReturnType<typeof uniqueState>>() : undefined;
  const stateOf = (kind: string): ReturnType<typeof uniqueState> => {
    let s = states!.get(kind);
    if (!s) states!.set(kind, (s = uniqueState(context, 'se.personnummer', `${kind}\0${synthetic}\0${keepSex}\0${keepBirth}\0${options.pool_file ?? ''}`)));
    return s;
  };

  const hundredYearsAgo = yearsAgo(context, 100);

  /** The synthetic number of an input, and on later attempts of its neighbours in birth number (same sex). */
  const synthOf = (parsed: IdentityNumber, kind: TestNumberKind) => {
    const asKind = kind === parsed.kind ? parsed : { ...parsed, kind, day: parsed.day + 60 };
    const step = keepSex ? 2 : 1;
    const span = keepSex ? 998 : 999;
    return (attempt: number): string =>
      syntheticIdentity(prf, attempt === 0 ? asKind : { ...asKind, serial: 1 + ((asKind.serial + 998 + attempt * step) % span) }, {
        keepSex,
        keepBirth: keepBirth as 'decade' | 'year' | 'date',
      });
  };

  /** keep_birth: age: the input's age class, and its decade as far as the list allows (see AgePool); `key` is the input's 12 digits. */
  const mapAge = (key: string, kind: TestNumberKind, year: number, sex: 0 | 1, born: number): string => {
    const pool = agePoolOf(kind);
    const cls: AgeClass = pool.classOf(born);
    const h = prf.hash(key);
    const pick = (attempt: number, n: number): number => pickFrom(attempt === 0 ? h : prf.hashWith(key, attempt), n);
    const who = `${AGE_CLASS_NAMES[cls]}${keepSex ? ' of this sex' : ''}`;
    if (!states) {
      const first = pool.first(year, sex, cls, pick, key);
      if (first === undefined) throw noneLeft(`se.personnummer: the test ${kind} list holds no number for ${who}; use keep_birth: none or pool: synthetic`, context);
      return first;
    }
    const exhausted = `se.personnummer: more distinct values than Skatteverket's test ${kind} list holds for ${who} (${pool.size(sex, cls)} numbers); use pool: synthetic`;
    const candidates = pool.candidates(year, sex, cls, pick, key);
    return claimUnique(stateOf(kind), key, () => candidates.next().value, context, exhausted);
  };

  const mapTwelve = (key: string, kind: TestNumberKind, year: number, sex: 0 | 1, synth: ((attempt: number) => string) | undefined, who: IdentityNumber): string => {
    if (synth) {
      if (!states) return synth(0);
      // Well-formed inputs cannot collide; an input with a wrong check digit or date can: walk on through its birth numbers.
      return claimUnique(
        stateOf(kind === 'personnummer' ? 'spersonnummer' : 'ssamordningsnummer'),
        key,
        (attempt) => (attempt < 500 ? synth(attempt) : undefined),
        context,
        'se.personnummer: no free synthetic number for this birth date',
      );
    }
    const born = who.year * 10000 + who.month * 100 + (who.day >= 60 ? who.day - 60 : who.day);
    if (keepBirth === 'age') return mapAge(key, kind, year, sex, born);
    const pool = poolOf(kind).ageClass(born > hundredYearsAgo);
    const bucket = pool.bucket(year, sex);
    const index = pickFrom(prf.hash(key), bucket.length);
    if (!states) return bucket[index]!;
    return claimUnique(
      stateOf(kind),
      key,
      (attempt) => {
        if (attempt === 0) return bucket[index];
        if (attempt < 32) return bucket[pickFrom(prf.hashWith(key, attempt), bucket.length)];
        const step = attempt - 32;
        return step < bucket.length ? bucket[(index + step) % bucket.length] : undefined;
      },
      context,
      `se.personnummer: more distinct values than Skatteverket's test ${kind} list holds for this ${keepBirth === 'none' ? 'sex' : 'sex and birth era'} (${bucket.length} numbers); use pool: synthetic${keepBirth === 'none' ? '' : ' or drop keep_birth'}`,
    );
  };

  return (value) => {
    if (value === null || value === '') return value;
    let text = value;
    let parsed = parseIdentityNumber(text, today);
    if (!parsed) {
      text = value.replace(/\s+/g, '');
      parsed = parseIdentityNumber(text, today);
    }
    if (!parsed) {
      // Not an identity number at all: masked as a keyed stand-in, someone born 1940–1999.
      const kind = force ?? 'personnummer';
      const key = `raw\0${value}`;
      const h = prf.hash(key);
      const standIn = parseIdentityNumber(
        twelveDigits(
          { year: 1940 + (h[0] % 60), month: 1 + (h[1] % 12), day: 1 + ((h[1] >>> 8) % 28) + (kind === 'samordningsnummer' ? 60 : 0), serial: 1 + ((h[1] >>> 16) % 998), check: 0 },
          true,
        ),
        today,
      )!;
      const twelve = mapTwelve(key, kind, standIn.year, (standIn.serial % 2) as 0 | 1, synthetic ? synthOf(standIn, kind) : undefined, standIn);
      return formatIdentityNumber(twelve, guessForm(value), today);
    }
    const kind = force ?? parsed.kind;
    // A 12-digit number's parts are its digits as written, so its twelve digits are the text's.
    const normal = parsed.form.digits === 10 ? twelveDigits(parsed) : parsed.form.separator === '' ? text : text.slice(0, 8) + text.slice(9);
    const sex = (parsed.serial % 2) as 0 | 1;
    const twelve = mapTwelve(normal, kind, parsed.year, sex, synthetic ? synthOf(parsed, kind) : undefined, parsed);
    return formatIdentityNumber(twelve, parsed.form, today);
  };
}

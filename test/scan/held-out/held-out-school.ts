import { type CellValue, col, idCol, type RowContext, type TableSpec } from './held-out-table.js';
import { swedishNote } from './held-out-text.js';
import { formatPnr, type Values } from './held-out-values.js';

const S = 'skola';

/** Municipalities with their codes and rough centres: a lookup table, nobody's data. */
const KOMMUNER: readonly [string, string, string, number, number][] = [
  ['0180', 'Stockholm', 'Stockholms län', 59.3293, 18.0686],
  ['0114', 'Upplands Väsby', 'Stockholms län', 59.5184, 17.9114],
  ['0380', 'Uppsala', 'Uppsala län', 59.8586, 17.6389],
  ['0580', 'Linköping', 'Östergötlands län', 58.4108, 15.6214],
  ['0680', 'Jönköping', 'Jönköpings län', 57.7826, 14.1618],
  ['0780', 'Växjö', 'Kronobergs län', 56.879, 14.8059],
  ['0880', 'Kalmar', 'Kalmar län', 56.6634, 16.3568],
  ['0980', 'Gotland', 'Gotlands län', 57.6348, 18.2948],
  ['1080', 'Karlskrona', 'Blekinge län', 56.1612, 15.5869],
  ['1280', 'Malmö', 'Skåne län', 55.605, 13.0038],
  ['1281', 'Lund', 'Skåne län', 55.7047, 13.191],
  ['1380', 'Halmstad', 'Hallands län', 56.6745, 12.8578],
  ['1480', 'Göteborg', 'Västra Götalands län', 57.7089, 11.9746],
  ['1880', 'Örebro', 'Örebro län', 59.2753, 15.2134],
  ['1980', 'Västerås', 'Västmanlands län', 59.6099, 16.5448],
  ['2080', 'Falun', 'Dalarnas län', 60.6065, 15.6355],
  ['2180', 'Gävle', 'Gävleborgs län', 60.6749, 17.1413],
  ['2281', 'Sundsvall', 'Västernorrlands län', 62.3908, 17.3069],
  ['2380', 'Östersund', 'Jämtlands län', 63.1792, 14.6357],
  ['2480', 'Umeå', 'Västerbottens län', 63.8258, 20.263],
  ['2580', 'Luleå', 'Norrbottens län', 65.5848, 22.1567],
  ['2584', 'Kiruna', 'Norrbottens län', 67.8558, 20.2253],
];

const ICD10 = ['J06.9', 'R51', 'S93.4', 'F90.0', 'J45.9', 'L20.9', 'R10.4', 'H10.9', 'Z00.1', 'F41.1', 'K59.0', 'S52.5'];
const KURSER: readonly [string, string, number][] = [
  ['MATMAT01c', 'Matematik 1c', 100],
  ['MATMAT02c', 'Matematik 2c', 100],
  ['SVESVE01', 'Svenska 1', 100],
  ['ENGENG05', 'Engelska 5', 100],
  ['HISHIS01a1', 'Historia 1a1', 50],
  ['IDRIDR01', 'Idrott och hälsa 1', 100],
  ['NAKNAK01a1', 'Naturkunskap 1a1', 50],
  ['SAMSAM01b', 'Samhällskunskap 1b', 100],
  ['MODSPA01', 'Moderna språk 1, spanska', 100],
  ['BILBIL01a1', 'Bild', 100],
];

const N = { skolor: 24, klasser: 120, personal: 300, elever: 2400, vardnadshavare: 3000, fran: 120_000 };

/** The guardian of row `i` of elev_vardnadshavare: each pupil gets two different guardians. */
function guardianOf(i: number, rows: RowContext['rows']): Readonly<Record<string, CellValue>> {
  return rows(`${S}.vardnadshavare`)[(i * 5 + Math.floor(i / N.elever)) % N.vardnadshavare]!;
}

/** The Swedish school system's tables (schema `skola`), with their labels. */
export function schoolTables(v: Values): TableSpec[] {
  const person = () => ({ first: v.firstName(), last: v.lastName() });
  return [
    {
      schema: S,
      name: 'kommuner',
      rows: KOMMUNER.length,
      comment: 'Kommuner med kod och ungefärlig mittpunkt',
      columns: [
        col('kommunkod', 'char(4)', null, ({ i }) => KOMMUNER[i]![0], { sql: 'PRIMARY KEY' }),
        col('kommunnamn', 'text', null, ({ i }) => KOMMUNER[i]![1], { note: 'municipality names: places, not anyone’s address' }),
        col('lan', 'text', null, ({ i }) => KOMMUNER[i]![2]),
        col('lat', 'double precision', null, ({ i }) => KOMMUNER[i]![3], { note: 'centre of a municipality, not a person’s location' }),
        col('lng', 'double precision', null, ({ i }) => KOMMUNER[i]![4], { note: 'centre of a municipality' }),
        col('invanare', 'integer', null, () => v.int(2_000, 980_000)),
        col('uppdaterad', 'date', null, () => v.date(2020, 2024)),
      ],
    },
    {
      schema: S,
      name: 'skolenheter',
      rows: N.skolor,
      columns: [
        idCol(),
        col('skolenhetskod', 'char(8)', null, () => v.digits(8), { sql: 'UNIQUE' }),
        col('namn', 'text', null, () => `${v.pick(['Björk', 'Ek', 'Lind', 'Sjö', 'Äng', 'Tall', 'Back', 'Hög'])}${v.pick(['skolan', 'gårdsskolan', 'dalsskolan'])}`),
        col('kommunkod', 'char(4)', null, ({ i }) => KOMMUNER[i % KOMMUNER.length]![0], { sql: `REFERENCES ${S}.kommuner` }),
        col('besoksadress', 'text', null, () => v.street(), { note: 'a school building’s street address, not a person’s; a street proposal here is a false positive' }),
        col('rektor_namn', 'text', 'full_name', () => `${v.firstName()} ${v.lastName()}`, { note: 'name of the head teacher: an employee, personal' }),
        col('telefon_vaxel', 'text', null, () => `0${v.int(10, 99)}-${v.digits(6)}`, { note: 'school switchboard number, not a person’s' }),
        col('huvudman_orgnr', 'text', 'organisationsnummer', () => v.orgnr('2'), {
          note: 'organisationsnummer of the municipality (a public body): not personal by itself, labelled by what it holds',
        }),
        col('skapad', 'timestamptz', null, () => v.ts(2015, 2020)),
      ],
    },
    {
      schema: S,
      name: 'personal',
      rows: N.personal,
      prepare: () => person(),
      comment: 'Anställda lärare och övrig personal',
      columns: [
        idCol(),
        col('PERSNR', 'text', 'personnummer', () => formatPnr(v.adultPnr(), '12-'), { sql: 'UNIQUE' }),
        col('fornamn', 'text', 'first_name', ({ p }) => p['first']!),
        col('efternamn', 'text', 'last_name', ({ p }) => p['last']!),
        col('e_mail', 'text', 'email', ({ p }) => v.email(p['first']!, p['last']!, 'skola.kommun.se')),
        col('mobiltelefon', 'varchar(20)', 'phone', () => v.phone()),
        col('tel_arbete', 'text', 'phone', () => `0${v.int(10, 99)}-${v.digits(6)}`, { note: 'direct work number of an employee: still the employee’s phone' }),
        col('befattning', 'text', null, () => v.pick(['Lärare', 'Förskollärare', 'Rektor', 'Skolsköterska', 'Kurator', 'Fritidspedagog'])),
        col('anstalld_fran', 'date', null, () => v.date(2005, 2025)),
        col('lonekonto', 'text', 'bank_account', () => v.bankAccount()),
        col('skolenhet_id', 'integer', null, ({ i }) => (i % N.skolor) + 1, { sql: `REFERENCES ${S}.skolenheter` }),
        col('signatur', 'char(4)', null, ({ p }) => `${p['first']!.slice(0, 2)}${p['last']!.slice(0, 2)}`.toUpperCase(), {
          note: 'four-letter staff initials (ANLI): identify a person inside the school only; judged not a name kind',
        }),
      ],
    },
    {
      schema: S,
      name: 'klasser',
      rows: N.klasser,
      columns: [
        idCol(),
        col('skolenhet_id', 'integer', null, ({ i }) => (i % N.skolor) + 1, { sql: `REFERENCES ${S}.skolenheter` }),
        col('klassnamn', 'text', null, ({ i }) => `${(i % 9) + 1}${'ABCDE'[i % 5]}`),
        col('arskurs', 'smallint', null, ({ i }) => (i % 9) + 1),
        col('lasar', 'text', null, () => v.pick(['2024/25', '2025/26'])),
        col('mentor_id', 'integer', null, ({ i }) => (i % N.personal) + 1, { sql: `REFERENCES ${S}.personal` }),
        col('hemklassrum', 'text', null, () => `${v.pick(['A', 'B', 'C'])}${v.int(101, 340)}`, { note: 'room number' }),
      ],
    },
    {
      schema: S,
      name: 'elever',
      rows: N.elever,
      prepare: () => ({ ...person(), pnr: v.childPnr() }),
      columns: [
        idCol(),
        col('personnummer', 'varchar(13)', 'personnummer', ({ p }) => formatPnr(p['pnr']!, '10-'), { sql: 'UNIQUE' }),
        col('förnamn', 'text', 'first_name', ({ p }) => `${p['first']!}${v.maybe(0.3, () => ` ${v.firstName()}`) ?? ''}`, { note: 'all given names' }),
        col('efternamn', 'text', 'last_name', ({ p }) => p['last']!),
        col('tilltalsnamn', 'text', 'first_name', ({ p }) => p['first']!),
        col('födelsedatum', 'date', 'birth_date', ({ p }) => v.birthDateOf(p['pnr']!)),
        col('kön', 'char(1)', null, () => v.pick(['F', 'P', 'X'])),
        col('ADR_GATA', 'text', 'street', () => v.street()),
        col('POSTNR', 'varchar(6)', 'postal_code', () => v.postalCode()),
        col('postort', 'text', 'city', () => v.city().toUpperCase()),
        col('klass_id', 'integer', null, ({ i }) => (i % N.klasser) + 1, { sql: `REFERENCES ${S}.klasser` }),
        col('skyddad_identitet', 'boolean', null, () => v.bool(0.02), { note: 'protected-identity flag: sensitive about the person, but no kind' }),
        col('elevmail', 'text', 'email', ({ p }) => v.email(p['first']!, p['last']!, 'elev.skola.se')),
        col('modersmal', 'text', null, () => v.pick(['svenska', 'svenska', 'arabiska', 'somaliska', 'finska', 'engelska', 'persiska'])),
        col('inskriven', 'timestamptz', null, () => v.ts(2015, 2025)),
      ],
    },
    {
      schema: S,
      name: 'vardnadshavare',
      rows: N.vardnadshavare,
      prepare: () => ({ ...person(), pnr: v.adultPnr() }),
      comment: 'Vårdnadshavare (föräldrar och andra)',
      columns: [
        idCol(),
        col('personnummer', 'char(12)', 'personnummer', ({ p }) => p['pnr']!, { sql: 'NOT NULL UNIQUE' }),
        col('namn_1', 'text', 'first_name', ({ p }) => p['first']!, { comment: 'Förnamn' }),
        col('namn_2', 'text', 'last_name', ({ p }) => p['last']!),
        col('hemtelefon', 'text', 'phone', () => v.maybe(0.5, () => `0${v.int(8, 99)}-${v.digits(v.pick([5, 6, 7]))}`)),
        col('mobiltelefon', 'text', 'phone', () => v.phone()),
        col('emailadress', 'text', 'email', ({ p }) => v.email(p['first']!, p['last']!)),
        col('samordningsnr', 'text', 'samordningsnummer', () => v.maybe(0.05, () => formatPnr(v.samordningsnummer(), '10-')), {
          note: 'for guardians without a personnummer; mostly NULL',
        }),
        col('c_o', 'text', 'full_name', () => v.maybe(0.1, () => `c/o ${v.firstName()} ${v.lastName()}`), {
          note: 'c/o line of an address: holds another person’s name; mostly NULL',
        }),
        col('gatuadress', 'text', 'street', () => v.street()),
        col('postnr', 'char(6)', 'postal_code', () => v.postalCode()),
        col('ort', 'text', 'city', () => v.city()),
        col('land', 'text', null, () => v.pick(['Sverige', 'Sverige', 'Sverige', 'Norge', 'Finland']), { note: 'country of residence: too coarse to be an address kind' }),
        col('sprak', 'char(2)', null, () => v.pick(['sv', 'sv', 'en', 'ar', 'fi'])),
        col('sekretess', 'boolean', null, () => v.bool(0.01)),
      ],
    },
    {
      schema: S,
      name: 'elev_vardnadshavare',
      rows: N.elever * 2,
      constraints: ['PRIMARY KEY (elev_id, vardnadshavare_pnr)'],
      columns: [
        col('elev_id', 'integer', null, ({ i }) => (i % N.elever) + 1, { sql: `REFERENCES ${S}.elever` }),
        col('vardnadshavare_pnr', 'char(12)', 'personnummer', ({ i, rows }) => guardianOf(i, rows)['personnummer'] as string, {
          sql: `REFERENCES ${S}.vardnadshavare (personnummer)`,
          note: 'foreign key on a personal value: the guardian’s personnummer',
        }),
        col('relation', 'text', null, ({ i }) => (i < N.elever ? 'mor' : v.pick(['far', 'annan', 'mor'])), {}),
        col('far_info', 'boolean', null, () => v.bool(0.95)),
        col('förälder_tfn', 'text', 'phone', ({ i, rows }) => guardianOf(i, rows)['mobiltelefon'] as string, {
          note: 'copy of the guardian’s mobile number',
        }),
      ],
    },
    {
      schema: S,
      name: 'kurser',
      rows: KURSER.length,
      columns: [
        col('kurskod', 'text', null, ({ i }) => KURSER[i]![0], { sql: 'PRIMARY KEY', note: 'course code' }),
        col('namn', 'text', null, ({ i }) => KURSER[i]![1]),
        col('poang', 'integer', null, ({ i }) => KURSER[i]![2]),
        col('beskrivning', 'text', null, ({ i }) => `Kursen ${KURSER[i]![1]} omfattar ${KURSER[i]![2]} poäng. ${v.f.lorem.paragraph()}`, {
          note: 'free text, but course descriptions say nothing about people',
        }),
      ],
    },
    {
      schema: S,
      name: 'betyg',
      rows: 6000,
      columns: [
        idCol('id', 'bigint'),
        col('elev_id', 'integer', null, ({ i }) => (i % N.elever) + 1, { sql: `REFERENCES ${S}.elever` }),
        col('kurskod', 'text', null, ({ i }) => KURSER[i % KURSER.length]![0], { sql: `REFERENCES ${S}.kurser` }),
        col('betyg', 'char(1)', null, () => v.pick(['A', 'B', 'C', 'D', 'E', 'F']), { note: 'a grade is personal data about the pupil (via elev_id) but no kind' }),
        col('satt_datum', 'date', null, () => v.date(2024, 2026)),
        col('satt_av', 'integer', null, ({ i }) => (i % N.personal) + 1, { sql: `REFERENCES ${S}.personal` }),
        col('prov_poang', 'numeric(5,1)', null, () => v.int(0, 600) / 10),
      ],
    },
    {
      schema: S,
      name: 'elevhalsa_besok',
      rows: 1500,
      comment: 'Bokningar hos skolsköterska och kurator',
      columns: [
        idCol(),
        col('elev_id', 'integer', null, ({ i }) => ((i * 7) % N.elever) + 1, { sql: `REFERENCES ${S}.elever` }),
        col('bokad_tid', 'timestamptz', null, () => v.ts()),
        col('langd_min', 'integer', null, () => v.pick([15, 20, 30, 45])),
        col('rum', 'text', null, () => `Hälsan ${v.int(1, 4)}`),
        col('diagnoskod', 'varchar(8)', null, () => v.maybe(0.6, () => v.pick(ICD10)), {
          note: 'ICD-10 code: health data about the pupil via elev_id (GDPR art. 9), but pgmask has no health kind; labelled null',
        }),
        col('bokningsreferens', 'text', null, ({ i }) => `EH-2025-${String(i + 1).padStart(5, '0')}`),
        col('status', 'text', null, () => v.pick(['bokad', 'genomförd', 'avbokad', 'uteblev'])),
        col('anteckning', 'text', 'free_text', () => swedishNote(v), { note: 'notes written by the nurse/counsellor' }),
      ],
    },
    {
      schema: S,
      name: 'incidentrapporter',
      rows: 400,
      columns: [
        idCol(),
        col('skolenhet_id', 'integer', null, ({ i }) => (i % N.skolor) + 1, { sql: `REFERENCES ${S}.skolenheter` }),
        col('rapporterad', 'timestamptz', null, () => v.ts()),
        col('beskrivning', 'text', 'free_text', () => `${swedishNote(v)} ${swedishNote(v)}`),
        col('inblandade', 'text[]', 'full_name', () => Array.from({ length: v.int(1, 3) }, () => `${v.firstName()} ${v.lastName()}`), {
          note: 'text[] of the pupils’ full names',
        }),
        col(
          'vittnen',
          'jsonb',
          'full_name',
          () => ({ json: Array.from({ length: v.int(0, 2) }, () => ({ namn: `${v.firstName()} ${v.lastName()}`, klass: `${v.int(1, 9)}A`, tfn: v.phone() })) }),
          {
            note: 'jsonb array of {namn, klass, tfn}: names and phone numbers; labelled by the name',
          },
        ),
        col('atgard', 'text', 'free_text', () => v.maybe(0.7, () => swedishNote(v))),
      ],
    },
    {
      schema: S,
      name: 'meddelanden',
      rows: 2000,
      columns: [
        idCol(),
        col('avsandare_id', 'integer', null, ({ i }) => (i % N.personal) + 1, { sql: `REFERENCES ${S}.personal` }),
        col('mottagare_id', 'integer', null, ({ i }) => (i % N.vardnadshavare) + 1, { sql: `REFERENCES ${S}.vardnadshavare` }),
        col(
          'amne',
          'text',
          'free_text',
          () => v.pick([`Angående ${v.firstName()}`, 'Utvecklingssamtal', 'Frånvaro', `Info från ${v.firstName()} ${v.lastName()}`, 'Friluftsdag']),
          {
            note: 'message subjects, often with a name',
          },
        ),
        col('brodtext', 'text', 'free_text', () => `Hej!\n\n${swedishNote(v)}\n\nVänliga hälsningar\n${v.firstName()} ${v.lastName()}`),
        col('skickat', 'timestamptz', null, () => v.ts()),
        col('last', 'boolean', null, () => v.bool(0.7)),
        col('bilagor', 'jsonb', null, ({ i }) => ({ json: v.maybe(0.2, () => [{ fil: `bilaga_${i}.pdf`, storlek: v.int(1000, 900000), sha256: v.sha256(`b${i}`) }]) }), {
          note: 'attachment metadata: file name, size, hash',
        }),
      ],
    },
    {
      schema: S,
      name: 'skolskjuts',
      rows: 500,
      columns: [
        idCol(),
        col('elev_id', 'integer', null, ({ i }) => ((i * 3) % N.elever) + 1, { sql: `REFERENCES ${S}.elever` }),
        col('hamtadress', 'text', 'street', () => v.street(), { note: 'the pupil’s pick-up address (home)' }),
        col('hamt_lat', 'numeric(9,6)', 'geo', () => v.lat()),
        col('hamt_lng', 'numeric(9,6)', 'geo', () => v.lng()),
        col('avstand_km', 'numeric(5,1)', null, () => v.int(20, 400) / 10),
        col('hallplats', 'text', null, () => `${v.city()} busstation`, { note: 'a bus stop name' }),
        col('chauffor_tel', 'text', 'phone', () => v.phone(), { note: 'the driver’s mobile' }),
        col('taxibolag_orgnr', 'text', 'organisationsnummer', () => v.orgnr(), { note: 'the taxi company’s organisationsnummer' }),
      ],
    },
    {
      schema: S,
      name: 'fritidsavgifter',
      rows: 1800,
      columns: [
        idCol(),
        col('vardnadshavare_id', 'integer', null, ({ i }) => (i % N.vardnadshavare) + 1, { sql: `REFERENCES ${S}.vardnadshavare` }),
        col('fakturanr', 'bigint', null, ({ i }) => 2025000000 + i * 13, { note: '10-digit invoice number' }),
        col('ocr', 'text', null, () => v.ocr(10), { note: 'OCR reference: 10 digits, Luhn-valid, not a date' }),
        col('belopp', 'numeric(10,2)', null, () => v.int(0, 2500)),
        col('forfallodatum', 'date', null, () => v.date(2025, 2026)),
        col('bankgiro', 'text', null, () => '5050-1055', { note: 'the municipality’s bankgiro number, the same in every row' }),
        col('betalkonto', 'text', 'bank_account', () => v.maybe(0.4, () => v.bankAccount()), { note: 'payer’s account for autogiro' }),
        col(
          'autogiro_medgivande',
          'jsonb',
          'personnummer',
          () => ({
            json: v.maybe(0.4, () => ({
              betalare: { namn: `${v.firstName()} ${v.lastName()}`, personnummer: formatPnr(v.adultPnr(), '12') },
              konto: { clearing: '8327', nummer: v.digits(10) },
            })),
          }),
          { note: 'nested jsonb with payer name, personnummer and bank account; labelled by the personnummer' },
        ),
      ],
    },
    {
      schema: S,
      name: 'import_rader',
      rows: 800,
      comment: 'Rader från gammal CSV-import',
      columns: [
        idCol(),
        col('field_1', 'text', 'personnummer', () => formatPnr(v.childPnr(), v.pick(['10', '12', '10-'] as const))),
        col('field_2', 'text', 'full_name', () => `${v.lastName()}, ${v.firstName()}`, { note: 'written as "Efternamn, Förnamn"' }),
        col('field_3', 'text', 'phone', () => v.phone()),
        col('field_4', 'text', 'email', () => v.email(v.firstName(), v.lastName())),
        col('field_5', 'text', null, ({ i }) => `${(i % 9) + 1}${'ABC'[i % 3]}`, { note: 'class code' }),
        col('field_6', 'text', null, () => v.ts(), { note: 'timestamp as text' }),
      ],
    },
    {
      schema: S,
      name: 'nodkontakter',
      rows: 1200,
      columns: [
        idCol(),
        col('elev_id', 'integer', null, ({ i }) => (i % N.elever) + 1, { sql: `REFERENCES ${S}.elever` }),
        col('NAMN', 'text', 'full_name', () => `${v.firstName()} ${v.lastName()}`.toUpperCase()),
        col('TELNR', 'text', 'phone', () => v.phone()),
        col('tel_hem', 'text', 'phone', () => v.maybe(0.4, () => `0${v.int(8, 99)}${v.digits(6)}`)),
        col('tel_arb', 'text', 'phone', () => v.maybe(0.3, () => v.phone())),
        col('relation', 'text', null, () => v.pick(['mormor', 'farfar', 'granne', 'moster', 'faster'])),
        col('prioritet', 'smallint', null, () => v.int(1, 3)),
      ],
    },
    {
      schema: S,
      name: 'loneutbetalningar',
      rows: 900,
      columns: [
        idCol(),
        col('personal_id', 'integer', null, ({ i }) => (i % N.personal) + 1, { sql: `REFERENCES ${S}.personal` }),
        col('manad', 'char(7)', null, () => `2025-${String(v.int(1, 12)).padStart(2, '0')}`),
        col('brutto', 'numeric(10,2)', null, () => v.int(28000, 62000), { note: 'salary: personal data about the employee, no kind' }),
        col('skattetabell', 'smallint', null, () => v.int(29, 36)),
        col('konto', 'text', 'bank_account', () => v.bankAccount(), { comment: 'Clearingnummer och kontonummer dit lönen betalas ut' }),
        col('ref', 'text', null, () => v.notIdentity(12), { note: '12-digit payment reference that is no identity number' }),
        col('x1', 'text', 'street', () => v.street(), { comment: 'Den anställdes hemadress (gata och nummer)' }),
      ],
    },
    {
      schema: S,
      name: 'atgardsprogram',
      rows: 0,
      comment: 'Åtgärdsprogram för elever i behov av särskilt stöd',
      columns: [
        idCol(),
        col('elev_id', 'integer', null, undefined, { sql: `REFERENCES ${S}.elever` }),
        col('upprattad_av', 'text', 'full_name', undefined, { comment: 'Namn på den som upprättade programmet' }),
        col('elev_personnr', 'text', 'personnummer'),
        col('kontaktperson_tfn', 'text', 'phone'),
        col('elevens_behov', 'text', 'free_text', undefined, { comment: 'Fritext: beskrivning av elevens behov' }),
        col('samtycke', 'boolean', null),
        col('beslutad', 'date', null),
      ],
    },
    {
      schema: S,
      name: 'frånvaro',
      rows: N.fran,
      keepRows: false,
      comment: 'Frånvaro per lektion',
      columns: [
        idCol('id', 'bigint'),
        col('elev_id', 'integer', null, ({ i }) => (i % N.elever) + 1, { sql: `REFERENCES ${S}.elever` }),
        col('datum', 'date', null, ({ i }) => new Date(Date.UTC(2025, 0, 1) + (i % 400) * 86_400_000).toISOString().slice(0, 10)),
        col('lektion', 'text', null, ({ i }) => KURSER[i % KURSER.length]![0]),
        col('minuter', 'smallint', null, ({ i }) => [10, 40, 60, 80][i % 4]!),
        col('giltig', 'boolean', null, ({ i }) => i % 3 !== 0),
        col(
          'anmald_av',
          'text',
          'full_name',
          ({ i, rows }) => {
            const g = rows(`${S}.vardnadshavare`)[(i * 11) % N.vardnadshavare]!;
            return i % 5 === 0 ? null : `${g['namn_1'] as string} ${g['namn_2'] as string}`;
          },
          { note: 'name of the guardian who reported the absence' },
        ),
        col('anmalan_tfn', 'text', 'phone', ({ i, rows }) => (i % 5 === 0 ? null : (rows(`${S}.vardnadshavare`)[(i * 11) % N.vardnadshavare]!['mobiltelefon'] as string))),
        col('kommentar', 'text', 'free_text', ({ i }) => (i % 50 === 0 ? swedishNote(v) : null), { note: 'mostly NULL; one row in fifty has a note' }),
      ],
    },
  ];
}

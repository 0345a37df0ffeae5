/** Swedish words the bench sources are built from, and how they go into SQL. */

/** First names, Swedish letters among them. */
export const FIRST = ['Anna', 'Eva', 'Maria', 'Karin', 'Sara', 'Lena', 'Emma', 'Åsa', 'Lars', 'Mikael', 'Johan', 'Anders', 'Erik', 'Björn', 'Göran', 'Örjan'];
export const LAST = [
  'Andersson',
  'Johansson',
  'Karlsson',
  'Nilsson',
  'Eriksson',
  'Larsson',
  'Olsson',
  'Persson',
  'Svensson',
  'Gustafsson',
  'Lindqvist',
  'Åberg',
  'Öberg',
  'Ek',
  'Holm',
  'Sjöberg',
];
export const STREETS = ['Storgatan', 'Kungsgatan', 'Drottninggatan', 'Vasagatan', 'Sveavägen', 'Götgatan', 'Ringvägen', 'Skolgatan', 'Järnvägsgatan'];
export const CITIES = ['Stockholm', 'Göteborg', 'Malmö', 'Uppsala', 'Umeå', 'Luleå', 'Örebro'];
export const ZIPS = ['114', '411', '211', '753', '903', '972', '702'];

/** Lower case without diacritics: for e-mail addresses. */
export const fold = (s: string): string =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
/** A SQL text[] literal of `values`. */
export const arr = (values: readonly string[]): string => `ARRAY[${values.map((v) => `'${v.replace(/'/g, "''")}'`).join(', ')}]::text[]`;

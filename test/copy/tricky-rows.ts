import type { Row } from './helpers.js';

/** Tricky rows, and the COPY text PostgreSQL writes for them (written out by hand). */
export const ROWS: Row[] = [
  ['1', 'tab\there', 'new\nline', 'back\\slash'],
  ['2', null, '\\N', ''],
  ['3', 'åäö Ünïcödé', 'emoji 🎉 👩‍👩‍👧 𝄞', 'cr\r\nlf'],
  ['4', '', '', ''],
  ['5', 'ctrl \b\f\v end', 'quotes "x" \'y\'', '\\\\N'],
  ['6', '\\', '\\t', 'N'],
  [null, null, null, null],
  ['7', '漢字とかな', 'x\u0001y\u007fz', ' \t\n\r '],
];
export const TEXT =
  '1\ttab\\there\tnew\\nline\tback\\\\slash\n' +
  '2\t\\N\t\\\\N\t\n' +
  '3\tåäö Ünïcödé\temoji 🎉 👩‍👩‍👧 𝄞\tcr\\r\\nlf\n' +
  '4\t\t\t\n' +
  '5\tctrl \\b\\f\\v end\tquotes "x" \'y\'\t\\\\\\\\N\n' +
  '6\t\\\\\t\\\\t\tN\n' +
  '\\N\t\\N\t\\N\t\\N\n' +
  '7\t漢字とかな\tx\u0001y\u007fz\t \\t\\n\\r \n';

/**
 * SQL for personnummer that a bench source can hold under a unique index at any size: the
 * official test list has about 41,500 numbers, too few for a million customers. `bench_pnr(i)`
 * gives the i-th of 25 million distinct 12-digit personnummer with a right Luhn digit, born
 * 1940–2008 (`bench_birth(i)`); the build drops both functions when it is done.
 */

/** Creates `bench_pnr(i bigint) → text` and `bench_birth(i bigint) → date`. */
export const CREATE_PERSONNUMMER_FUNCTIONS = `
CREATE FUNCTION bench_birth(i bigint) RETURNS date LANGUAGE sql IMMUTABLE AS $$ SELECT date '1940-01-01' + (i % 25000)::int $$;
CREATE FUNCTION bench_pnr(i bigint) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
  d date := bench_birth(i);
  s text := to_char(d, 'YYMMDD') || lpad((1 + (i / 25000) % 999)::text, 3, '0');
  t int := 0;
  x int;
BEGIN
  FOR k IN 1..9 LOOP
    x := substr(s, k, 1)::int * (2 - (k + 1) % 2);
    t := t + x / 10 + x % 10;
  END LOOP;
  RETURN to_char(d, 'YYYY') || substr(s, 3) || ((10 - t % 10) % 10)::text;
END $$;`;

/** Drops what {@link CREATE_PERSONNUMMER_FUNCTIONS} made, so the copied schema holds none of it. */
export const DROP_PERSONNUMMER_FUNCTIONS = 'DROP FUNCTION bench_pnr(bigint); DROP FUNCTION bench_birth(bigint)';

import { describe, expect, it } from 'vitest';
import { failedTable } from '../../../src/pipeline/post-data/post-data-builder.js';
import { splitPostData } from '../../../src/pipeline/post-data/split-post-data.js';

/** Post-data as pg_dump 15 writes it, with the statements that must not be grouped. */
const SQL = String.raw`--
-- PostgreSQL database dump
--

\restrict AbCdEf123

SET statement_timeout = 0;
SET client_encoding = 'UTF8';
SELECT pg_catalog.set_config('search_path', '', false);
SET default_tablespace = '';

--
-- Name: customers customers_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.customers
    ADD CONSTRAINT customers_pkey PRIMARY KEY (id);

ALTER TABLE ONLY "Sales"."Order Items"
    ADD CONSTRAINT "Order Items_uq" UNIQUE (order_id, "line;no");

CREATE UNIQUE INDEX customers_email_key ON public.customers USING btree (email);

CREATE INDEX "idx; tricky" ON "Sales"."Order Items" USING btree ((lower(note || ';'::text)));

CREATE INDEX events_at_idx ON ONLY public.events USING btree (at);

CREATE INDEX events_2024_at_idx ON public.events_2024 USING btree (at);

ALTER INDEX public.events_at_idx ATTACH PARTITION public.events_2024_at_idx;

SET default_tablespace = fast;

CREATE INDEX orders_customer_id_idx ON public.orders USING btree (customer_id);

ALTER TABLE ONLY public.orders
    ADD CONSTRAINT orders_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES public.customers(id);

CREATE TRIGGER audit AFTER INSERT ON public.orders FOR EACH ROW EXECUTE FUNCTION public.audit();

ALTER TABLE public.customers CLUSTER ON customers_pkey;

\unrestrict AbCdEf123
`;

describe('splitPostData', () => {
  const plan = splitPostData(SQL, new Set(['public.customers', 'public.orders', '"Sales"."Order Items"', 'public.events_2024']));
  const heads = (statements: readonly { sql: string }[] | undefined): string[] => (statements ?? []).map((s) => s.sql.split('\n')[0]!);

  it('keeps session settings apart, in order, and never the meta-commands', () => {
    expect(plan.settings).toEqual([
      'SET statement_timeout = 0;',
      "SET client_encoding = 'UTF8';",
      "SELECT pg_catalog.set_config('search_path', '', false);",
      "SET default_tablespace = '';",
      'SET default_tablespace = fast;',
    ]);
    const all = [...plan.byTable.values()]
      .flat()
      .concat(plan.rest)
      .map((s) => s.sql);
    expect(all.some((sql) => sql.includes('restrict'))).toBe(false);
  });

  it("groups each listed table's indexes, primary key and unique constraints, quoted names and semicolons in strings included", () => {
    expect(heads(plan.byTable.get('public.customers'))).toEqual([
      'ALTER TABLE ONLY public.customers',
      'CREATE UNIQUE INDEX customers_email_key ON public.customers USING btree (email);',
    ]);
    expect(heads(plan.byTable.get('"Sales"."Order Items"'))).toEqual([
      'ALTER TABLE ONLY "Sales"."Order Items"',
      `CREATE INDEX "idx; tricky" ON "Sales"."Order Items" USING btree ((lower(note || ';'::text)));`,
    ]);
    expect(plan.byTable.get('public.customers')![0]!.sql).toBe('ALTER TABLE ONLY public.customers\n    ADD CONSTRAINT customers_pkey PRIMARY KEY (id);');
  });

  it('remembers the settings each statement runs under', () => {
    expect(plan.byTable.get('public.customers')!.map((s) => s.settings)).toEqual([4, 4]);
    expect(plan.byTable.get('public.orders')!.map((s) => s.settings)).toEqual([5]);
  });

  it('leaves foreign keys, triggers, partitioned indexes, attachments and other statements to the end, in dump order', () => {
    expect(heads(plan.rest)).toEqual([
      'CREATE INDEX events_at_idx ON ONLY public.events USING btree (at);',
      'ALTER INDEX public.events_at_idx ATTACH PARTITION public.events_2024_at_idx;',
      'ALTER TABLE ONLY public.orders',
      'CREATE TRIGGER audit AFTER INSERT ON public.orders FOR EACH ROW EXECUTE FUNCTION public.audit();',
      'ALTER TABLE public.customers CLUSTER ON customers_pkey;',
    ]);
    expect(heads(plan.byTable.get('public.events_2024'))).toEqual(['CREATE INDEX events_2024_at_idx ON public.events_2024 USING btree (at);']);
  });

  it('names the table each statement is on, where it names one, so that a failure can be reported against it', () => {
    expect(plan.byTable.get('"Sales"."Order Items"')!.map((s) => s.table)).toEqual(['"Sales"."Order Items"', '"Sales"."Order Items"']);
    expect(plan.rest.map((s) => [s.sql.split('\n')[0]!.slice(0, 30), s.table])).toEqual([
      ['CREATE INDEX events_at_idx ON ', 'public.events'],
      ['ALTER INDEX public.events_at_i', undefined],
      ['ALTER TABLE ONLY public.orders', 'public.orders'],
      ['CREATE TRIGGER audit AFTER INS', 'public.orders'],
      ['ALTER TABLE public.customers C', 'public.customers'],
    ]);
  });

  it('failedTable: the one table of the statements, else the table of the index or constraint the server names, else the table it names', () => {
    const statements = [...plan.byTable.get('public.customers')!, ...plan.byTable.get('public.orders')!];
    expect(failedTable(new Error('x'), plan.byTable.get('public.customers')!)).toBe('public.customers');
    expect(failedTable(Object.assign(new Error('x'), { constraint: 'orders_customer_id_idx' }), statements)).toBe('public.orders');
    expect(failedTable(Object.assign(new Error('x'), { schema: 'public', table: 'customers' }), statements)).toBe('public.customers');
    expect(failedTable(new Error('x'), statements)).toBeUndefined();
  });

  it('leaves the statements of tables it was not given to the end', () => {
    const only = splitPostData(SQL, new Set(['public.orders']));
    expect([...only.byTable.keys()]).toEqual(['public.orders']);
    expect(only.rest).toHaveLength(10);
  });
});

describe('splitPostData: foreign keys between tables of the run', () => {
  const KEYS = String.raw`SET client_encoding = 'UTF8';

ALTER TABLE ONLY public.customers
    ADD CONSTRAINT customers_pkey PRIMARY KEY (id);

CREATE UNIQUE INDEX customers_code_key ON public.customers USING btree (code);

ALTER TABLE ONLY "Sales"."Order Items"
    ADD CONSTRAINT "Order Items_pkey" PRIMARY KEY (order_id, "line;no");

SET default_tablespace = '';

ALTER TABLE ONLY "Sales"."Order Items"
    ADD CONSTRAINT "Order Items_customer" FOREIGN KEY (customer_id) REFERENCES public.customers(id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED;

ALTER TABLE ONLY public.orders
    ADD CONSTRAINT orders_code_fkey FOREIGN KEY (code) REFERENCES public.customers(code);

ALTER TABLE ONLY public.orders
    ADD CONSTRAINT orders_old_fkey FOREIGN KEY (old_id) REFERENCES public.customers(id) NOT VALID;

ALTER TABLE ONLY public.orders
    ADD CONSTRAINT orders_archive_fkey FOREIGN KEY (archive_id) REFERENCES public.archive(id);

ALTER TABLE ONLY public.orders
    ADD CONSTRAINT orders_unknown_fkey FOREIGN KEY ("references") REFERENCES public.customers(id);
`;
  const tables = new Set(['public.customers', '"Sales"."Order Items"', 'public.orders']);
  const indexes: Record<string, string> = {
    '"Sales"."Order Items"\0Order Items_customer': 'customers_pkey',
    'public.orders\0orders_code_fkey': 'customers_code_key',
    'public.orders\0orders_old_fkey': 'customers_pkey',
    'public.orders\0orders_unknown_fkey': 'customers_gone_key',
  };
  const plan = splitPostData(KEYS, tables, (table, constraint) => indexes[`${table}\0${constraint}`]);

  it('names the index each group statement builds', () => {
    expect(plan.byTable.get('public.customers')!.map((s) => s.index)).toEqual(['customers_pkey', 'customers_code_key']);
    expect(plan.byTable.get('"Sales"."Order Items"')!.map((s) => s.index)).toEqual(['Order Items_pkey']);
  });

  it("splits a key into an add NOT VALID and a check (and keeps the dump's own statement), under the settings before it, quoted names as written", () => {
    expect(plan.foreignKeys).toEqual([
      {
        sql: 'ALTER TABLE ONLY "Sales"."Order Items"\n    ADD CONSTRAINT "Order Items_customer" FOREIGN KEY (customer_id) REFERENCES public.customers(id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED NOT VALID;',
        settings: 2,
        table: '"Sales"."Order Items"',
        referenced: 'public.customers',
        index: 'customers_pkey',
        validate: 'ALTER TABLE ONLY "Sales"."Order Items" VALIDATE CONSTRAINT "Order Items_customer";',
        name: 'Order Items_customer',
        checked:
          'ALTER TABLE ONLY "Sales"."Order Items"\n    ADD CONSTRAINT "Order Items_customer" FOREIGN KEY (customer_id) REFERENCES public.customers(id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED;',
      },
      {
        sql: 'ALTER TABLE ONLY public.orders\n    ADD CONSTRAINT orders_code_fkey FOREIGN KEY (code) REFERENCES public.customers(code) NOT VALID;',
        settings: 2,
        table: 'public.orders',
        referenced: 'public.customers',
        index: 'customers_code_key',
        validate: 'ALTER TABLE ONLY public.orders VALIDATE CONSTRAINT orders_code_fkey;',
        name: 'orders_code_fkey',
        checked: 'ALTER TABLE ONLY public.orders\n    ADD CONSTRAINT orders_code_fkey FOREIGN KEY (code) REFERENCES public.customers(code);',
      },
    ]);
  });

  it('leaves as they are a key already NOT VALID, one to a table outside the run, and one whose index no group builds', () => {
    expect(plan.rest.map((s) => s.sql.split('\n')[1]!.trim().split(' ')[2])).toEqual(['orders_old_fkey', 'orders_archive_fkey', 'orders_unknown_fkey']);
    expect(plan.rest[0]!.sql).toBe('ALTER TABLE ONLY public.orders\n    ADD CONSTRAINT orders_old_fkey FOREIGN KEY (old_id) REFERENCES public.customers(id) NOT VALID;');
  });

  it('splits no key without a way to find its index', () => {
    const plain = splitPostData(KEYS, tables);
    expect(plain.foreignKeys).toEqual([]);
    expect(plain.rest).toHaveLength(5);
  });
});

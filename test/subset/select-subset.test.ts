import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCatalog } from '../../src/catalog/read-catalog.js';
import { Session } from '../../src/db/connection.js';
import { parentStepSql } from '../../src/subset/closure-sql.js';
import { referenceGraph } from '../../src/subset/reference-graph.js';
import { selectSubset } from '../../src/subset/select-subset.js';
import { SubsetError } from '../../src/subset/subset-error.js';
import { createDatabase, type TestDatabase } from '../support/database.js';
import { runSubset, values } from './subset-harness.js';

describe('selectSubset', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createDatabase('pgmask_subset');
    await db.query(`
      CREATE SCHEMA emp;
      CREATE TABLE emp.employees (id int PRIMARY KEY, name text NOT NULL, manager_id int REFERENCES emp.employees (id));
      INSERT INTO emp.employees VALUES (1, 'ceo', NULL), (2, 'vp a', 1), (3, 'vp b', 1), (4, 'lead a', 2), (5, 'dev a1', 4), (6, 'dev a2', 4), (7, 'lead b', 3), (8, 'dev b1', 7);

      CREATE SCHEMA cyc;
      CREATE TABLE cyc.a (id int PRIMARY KEY, b_id int);
      CREATE TABLE cyc.b (id int PRIMARY KEY, a_id int REFERENCES cyc.a (id));
      ALTER TABLE cyc.a ADD FOREIGN KEY (b_id) REFERENCES cyc.b (id);
      INSERT INTO cyc.a SELECT g, NULL FROM generate_series(1, 10) g;
      INSERT INTO cyc.b SELECT g, g % 10 + 1 FROM generate_series(1, 10) g;
      UPDATE cyc.a SET b_id = id;
      CREATE TABLE cyc.x (id int PRIMARY KEY, z_id int);
      CREATE TABLE cyc.y (id int PRIMARY KEY, x_id int NOT NULL REFERENCES cyc.x (id));
      CREATE TABLE cyc.z (id int PRIMARY KEY, y_id int NOT NULL REFERENCES cyc.y (id));
      ALTER TABLE cyc.x ADD FOREIGN KEY (z_id) REFERENCES cyc.z (id);
      INSERT INTO cyc.x SELECT g, NULL FROM generate_series(1, 6) g;
      INSERT INTO cyc.y SELECT g, g FROM generate_series(1, 6) g;
      INSERT INTO cyc.z SELECT g, g % 6 + 1 FROM generate_series(1, 6) g;
      UPDATE cyc.x SET z_id = id WHERE id <> 3;

      CREATE SCHEMA comp;
      CREATE TABLE comp.regions (country text, code text, name text, PRIMARY KEY (country, code));
      CREATE TABLE comp.accounts (id int PRIMARY KEY, email text UNIQUE NOT NULL);
      CREATE TABLE comp.shops (id int PRIMARY KEY, country text, region text, owner_email text REFERENCES comp.accounts (email),
                               FOREIGN KEY (country, region) REFERENCES comp.regions (country, code));
      INSERT INTO comp.regions VALUES ('SE', 'AB', 'Stockholm'), ('SE', 'M', 'Skåne'), ('NO', 'AB', 'x'), ('NO', '03', 'Oslo');
      INSERT INTO comp.accounts VALUES (1, 'a@x'), (2, 'b@x'), (3, 'c@x');
      INSERT INTO comp.shops VALUES (1, 'SE', 'AB', 'b@x'), (2, 'NO', 'AB', NULL), (3, 'SE', NULL, 'c@x'), (4, 'NO', '03', 'a@x');

      CREATE SCHEMA poly;
      CREATE TABLE poly.posts (id int PRIMARY KEY, title text);
      CREATE TABLE poly.photos (id int PRIMARY KEY, url text);
      CREATE TABLE poly.users (id int PRIMARY KEY, name text);
      CREATE TABLE poly.comments (id int PRIMARY KEY, subject_type text NOT NULL, subject_id int, author_id int);
      INSERT INTO poly.posts SELECT g, 'p' || g FROM generate_series(1, 5) g;
      INSERT INTO poly.photos SELECT g, 'u' || g FROM generate_series(1, 5) g;
      INSERT INTO poly.users SELECT g, 'n' || g FROM generate_series(1, 5) g;
      INSERT INTO poly.comments VALUES (1, 'Post', 2, 1), (2, 'Photo', 3, 2), (3, 'Post', 4, 5), (4, 'Photo', 4, NULL);

      CREATE SCHEMA part;
      CREATE TABLE part.customers (id int PRIMARY KEY, region text NOT NULL);
      CREATE TABLE part.orders (id int, placed date NOT NULL, customer_id int NOT NULL REFERENCES part.customers (id), PRIMARY KEY (id, placed)) PARTITION BY RANGE (placed);
      CREATE TABLE part.orders_2023 PARTITION OF part.orders FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');
      CREATE TABLE part.orders_2024 PARTITION OF part.orders FOR VALUES FROM ('2024-01-01') TO ('2025-01-01') PARTITION BY RANGE (placed);
      CREATE TABLE part.orders_2024_a PARTITION OF part.orders_2024 FOR VALUES FROM ('2024-01-01') TO ('2024-07-01');
      CREATE TABLE part.orders_2024_b PARTITION OF part.orders_2024 DEFAULT;
      CREATE TABLE part.lines (order_id int NOT NULL, placed date NOT NULL, n int NOT NULL, FOREIGN KEY (order_id, placed) REFERENCES part.orders (id, placed));
      INSERT INTO part.customers SELECT g, CASE WHEN g <= 3 THEN 'north' ELSE 'south' END FROM generate_series(1, 6) g;
      INSERT INTO part.orders SELECT g, DATE '2023-01-01' + (g * 30), g % 6 + 1 FROM generate_series(1, 24) g;
      INSERT INTO part.lines SELECT o.id, o.placed, k FROM part.orders o, generate_series(1, 2) k;
      CREATE TABLE part.animals (id int PRIMARY KEY, name text);
      CREATE TABLE part.dogs (owner_id int REFERENCES part.customers (id)) INHERITS (part.animals);
      INSERT INTO part.animals VALUES (1, 'generic');
      INSERT INTO part.dogs VALUES (2, 'rex', 5), (3, 'fido', 6);

      CREATE SCHEMA leaf;
      CREATE TABLE leaf.orders (id int, year int, PRIMARY KEY (id, year)) PARTITION BY LIST (year);
      CREATE TABLE leaf.orders_2023 PARTITION OF leaf.orders FOR VALUES IN (2023);
      CREATE TABLE leaf.orders_2024 PARTITION OF leaf.orders FOR VALUES IN (2024);
      ALTER TABLE leaf.orders_2023 ADD UNIQUE (id);
      CREATE TABLE leaf.notes (id int PRIMARY KEY, order_id int REFERENCES leaf.orders_2023 (id));
      INSERT INTO leaf.orders VALUES (1, 2023), (2, 2023), (1, 2024), (3, 2024);
      INSERT INTO leaf.notes VALUES (1, 1), (2, 2), (3, 1);

      CREATE SCHEMA shop;
      CREATE TABLE shop.countries (code text PRIMARY KEY);
      CREATE TABLE shop.audit (id int PRIMARY KEY);
      CREATE TABLE shop.customers (id int PRIMARY KEY, country text NOT NULL REFERENCES shop.countries (code), last_audit int REFERENCES shop.audit (id));
      CREATE TABLE shop.orders (id int PRIMARY KEY, customer_id int NOT NULL REFERENCES shop.customers (id), created int NOT NULL);
      CREATE INDEX ON shop.orders (customer_id);
      CREATE TABLE shop.order_lines (order_id int NOT NULL REFERENCES shop.orders (id), line int NOT NULL, PRIMARY KEY (order_id, line));
      INSERT INTO shop.countries VALUES ('SE'), ('NO'), ('DK'), ('FI');
      INSERT INTO shop.audit SELECT g FROM generate_series(1, 3) g;
      INSERT INTO shop.customers SELECT g, (ARRAY['SE', 'NO', 'DK'])[g % 3 + 1], CASE WHEN g = 7 THEN 1 END FROM generate_series(1, 30) g;
      INSERT INTO shop.orders SELECT g, g % 30 + 1, 100 - g FROM generate_series(1, 150) g;
      INSERT INTO shop.order_lines SELECT o.id, k FROM shop.orders o, generate_series(1, 3) k;

      CREATE SCHEMA big;
      CREATE TABLE big.customers (id int PRIMARY KEY, name text NOT NULL);
      CREATE TABLE big.orders (id int PRIMARY KEY, customer_id int NOT NULL REFERENCES big.customers (id));
      INSERT INTO big.customers SELECT g, 'c' || g FROM generate_series(1, 50000) g;
      INSERT INTO big.orders SELECT g, (g * 7) % 50000 + 1 FROM generate_series(1, 50000) g;
      ANALYZE big.customers; ANALYZE big.orders;
    `);
  });
  afterAll(async () => {
    await db.drop();
  });

  it('follows a self-reference upwards to the top of the chain', async () => {
    const out = await runSubset(db.url, 'emp', { roots: [{ table: 'emp.employees', where: 'id = 5' }] });
    expect(values(out, 'emp.employees', 'id')).toEqual([1, 2, 4, 5]);
  });

  it('follows a self-reference downwards with children: all', async () => {
    const out = await runSubset(db.url, 'emp', { roots: [{ table: 'emp.employees', where: 'id = 2' }], children: 'all' });
    expect(values(out, 'emp.employees', 'id')).toEqual([1, 2, 4, 5, 6]);
  });

  it('writes a nullable reference outside the subset NULL with null_outside, and pulls the parent in without', async () => {
    const nulled = await runSubset(db.url, 'emp', {
      roots: [{ table: 'emp.employees', where: 'id IN (4, 5)' }],
      nullOutside: [{ table: 'emp.employees', foreignKey: 'employees_manager_id_fkey' }],
    });
    expect(values(nulled, 'emp.employees', 'id')).toEqual([4, 5]);
    expect(values(nulled, 'emp.employees', 'manager_id')).toEqual([4, null]);
    const pulled = await runSubset(db.url, 'emp', { roots: [{ table: 'emp.employees', where: 'id IN (4, 5)' }] });
    expect(values(pulled, 'emp.employees', 'id')).toEqual([1, 2, 4, 5]);
    expect(values(pulled, 'emp.employees', 'manager_id')).toEqual([1, 2, 4, null]);
  });

  it('closes a two-table and a three-table cycle', async () => {
    const two = await runSubset(db.url, 'cyc', { roots: [{ table: 'cyc.a', where: 'id = 1' }] });
    expect(values(two, 'cyc.a', 'id')).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(values(two, 'cyc.b', 'id')).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const three = await runSubset(db.url, 'cyc', { roots: [{ table: 'cyc.x', where: 'id = 4' }] });
    // x4 → z4 → y5 → x5 → z5 → y6 → x6 → z6 → y1 → x1 → z1 → y2 → x2 → z2 → y3 → x3 (z_id NULL): stops
    expect(values(three, 'cyc.x', 'id')).toEqual([1, 2, 3, 4, 5, 6]);
    expect(values(three, 'cyc.z', 'id')).toEqual([1, 2, 4, 5, 6]);
    expect(values(three, 'cyc.y', 'id')).toEqual([1, 2, 3, 5, 6]);
  });

  it('follows composite keys and a key to a unique column that is not the primary key', async () => {
    const out = await runSubset(db.url, 'comp', { roots: [{ table: 'comp.shops', where: 'id IN (1, 2, 3)' }] });
    expect(values(out, 'comp.regions', 'name')).toEqual(['Stockholm', 'x']);
    expect(values(out, 'comp.accounts', 'id')).toEqual([2, 3]);
    const down = await runSubset(db.url, 'comp', { roots: [{ table: 'comp.regions', where: "country = 'NO'" }], children: 'all' });
    expect(values(down, 'comp.shops', 'id')).toEqual([2, 4]);
    expect(values(down, 'comp.accounts', 'id')).toEqual([1]);
  });

  it('follows a virtual key and a polymorphic virtual key (where)', async () => {
    const spec = {
      roots: [{ table: 'poly.comments', where: 'id <= 3' }],
      virtualKeys: [
        { name: 'comment_post', table: 'poly.comments', columns: ['subject_id'], references: 'poly.posts', where: "subject_type = 'Post'" },
        { name: 'comment_photo', table: 'poly.comments', columns: ['subject_id'], references: 'poly.photos', where: "subject_type = 'Photo'" },
        { name: 'comment_author', table: 'poly.comments', columns: ['author_id'], references: 'poly.users', referencedColumns: ['id'] },
      ],
    };
    const out = await runSubset(db.url, 'poly', spec);
    expect(values(out, 'poly.posts', 'id')).toEqual([2, 4]);
    expect(values(out, 'poly.photos', 'id')).toEqual([3]);
    expect(values(out, 'poly.users', 'id')).toEqual([1, 2, 5]);
    const down = await runSubset(db.url, 'poly', {
      ...spec,
      roots: [{ table: 'poly.photos', where: 'id = 4' }],
      children: [{ table: 'poly.comments', foreignKey: 'comment_photo' }],
    });
    expect(values(down, 'poly.comments', 'id')).toEqual([4]);
    expect(values(down, 'poly.posts', 'id')).toEqual([]);
    const nulled = await runSubset(db.url, 'poly', { ...spec, nullOutside: [{ table: 'poly.comments', foreignKey: 'comment_author' }] });
    expect(values(nulled, 'poly.users', 'id')).toEqual([]);
    expect(values(nulled, 'poly.comments', 'author_id')).toEqual([null, null, null]);
    const polyNulled = await runSubset(db.url, 'poly', { ...spec, nullOutside: [{ table: 'poly.comments', foreignKey: 'comment_photo' }] });
    expect(values(polyNulled, 'poly.photos', 'id')).toEqual([]);
    expect(
      polyNulled.rows
        .get('poly.comments')!
        .map((r) => JSON.parse(r) as { id: number; subject_id: number | null })
        .map((r) => [r.id, r.subject_id]),
    ).toEqual([
      [1, 2],
      [2, null],
      [3, 4],
    ]);
  });

  it('treats a partitioned table as one node and an inheritance child as its own', async () => {
    const catalog = await withSession(db.url, (s) => readCatalog(s, { schemas: ['part'] }));
    const graph = referenceGraph(catalog, { roots: [{ table: 'part.customers', where: "region = 'north'" }], children: 'all' });
    expect([...graph.nodes.keys()].sort()).toEqual(['part.animals', 'part.customers', 'part.dogs', 'part.lines', 'part.orders']);
    expect(graph.edges.map((e) => `${e.child}>${e.parent}`)).toEqual(['part.dogs>part.customers', 'part.lines>part.orders', 'part.orders>part.customers']);
    const out = await runSubset(db.url, 'part', { roots: [{ table: 'part.customers', where: "region = 'north'" }], children: 'all' });
    expect(values(out, 'part.orders', 'customer_id').every((c) => (c as number) <= 3)).toBe(true);
    expect(values(out, 'part.orders', 'id')).toEqual([1, 2, 6, 7, 8, 12, 13, 14, 18, 19, 20, 24]);
    expect(out.rows.get('part.lines')).toHaveLength(24);
    expect(new Set(out.ctids.get('part.orders')!.map((t) => t.split(':')[0])).size).toBe(3);
    const upward = await runSubset(db.url, 'part', {
      roots: [
        { table: 'part.lines', where: 'order_id = 20 AND n = 1' },
        { table: 'part.dogs', where: 'id = 3' },
      ],
    });
    expect(values(upward, 'part.orders', 'id')).toEqual([20]);
    expect(values(upward, 'part.customers', 'id')).toEqual([3, 6]);
    expect(values(upward, 'part.animals', 'id')).toEqual([]);
    expect(() => referenceGraph(catalog, { roots: [{ table: 'part.orders_2023' }] })).toThrow(/is a partition; name its partitioned table part\.orders/);
  });

  it('maps a key to a leaf partition onto its partitioned table, taking a child row once', async () => {
    const down = await runSubset(db.url, 'leaf', { roots: [{ table: 'leaf.orders', where: 'id = 1' }], children: 'all' });
    expect(values(down, 'leaf.notes', 'id')).toEqual([1, 3]);
    const up = await runSubset(db.url, 'leaf', { roots: [{ table: 'leaf.notes', where: 'id = 2' }] });
    expect(values(up, 'leaf.orders', 'id')).toEqual([2]);
  });

  it('accepts a root that selects nothing', async () => {
    const out = await runSubset(db.url, 'shop', { roots: [{ table: 'shop.customers', where: 'id < 0' }], children: 'all' });
    for (const selected of out.selection.nodes.values()) expect(selected.selectedRows).toBe(0);
    expect(out.selection.nodes.get('shop.orders')).toMatchObject({ totalRows: 150, totalRowsExact: true });
  });

  it('takes at most limit_per_parent children per parent, in stable order, and follows their parents', async () => {
    const out = await runSubset(db.url, 'shop', {
      roots: [{ table: 'shop.customers', limit: 2 }],
      children: [
        { table: 'shop.orders', foreignKey: 'orders_customer_id_fkey', limitPerParent: 2 },
        { table: 'shop.order_lines', foreignKey: 'order_lines_order_id_fkey', limitPerParent: 1 },
      ],
    });
    expect(values(out, 'shop.customers', 'id')).toEqual([1, 2]);
    expect(values(out, 'shop.orders', 'id')).toEqual([1, 30, 31, 60]);
    expect(values(out, 'shop.order_lines', 'line')).toEqual([1, 1, 1, 1]);
    expect(values(out, 'shop.countries', 'code')).toEqual(['DK', 'NO']);
  });

  it("runs the rules' predicates in a read-only transaction: a function that writes fails", async () => {
    await db.query(
      `CREATE TABLE shop.tampered (n int); CREATE FUNCTION shop.tamper() RETURNS boolean LANGUAGE sql VOLATILE AS 'INSERT INTO shop.tampered VALUES (1) RETURNING true'`,
    );
    await expect(runSubset(db.url, 'shop', { roots: [{ table: 'shop.customers', where: 'shop.tamper()' }] })).rejects.toThrow(/read-only transaction/);
    expect(await db.query('SELECT * FROM shop.tampered')).toEqual([]);
  });

  it('does not follow the children of a whole table: a lookup table pulls in no customer', async () => {
    const out = await runSubset(db.url, 'shop', { roots: [{ table: 'shop.customers', where: 'id IN (1, 2)' }], whole: ['shop.countries'], children: 'all' });
    expect(values(out, 'shop.countries', 'code')).toEqual(['DK', 'FI', 'NO', 'SE']);
    expect(values(out, 'shop.customers', 'id')).toEqual([1, 2]);
  });

  it('selects percent of the matching rows, rounded up', async () => {
    const out = await runSubset(db.url, 'shop', { roots: [{ table: 'shop.customers', where: "country = 'SE'", percent: 25 }] });
    expect(values(out, 'shop.customers', 'id')).toEqual([3, 6, 9]);
  });

  it('selects whole tables and leaves empty ones empty, refusing a reference into an empty table unless nulled', async () => {
    const spec = { roots: [{ table: 'shop.customers', where: 'id IN (1, 2)' }], whole: ['shop.countries'], empty: ['shop.audit'] };
    const out = await runSubset(db.url, 'shop', spec);
    expect(values(out, 'shop.countries', 'code')).toEqual(['DK', 'FI', 'NO', 'SE']);
    expect(out.rows.get('shop.audit')).toEqual([]);
    await expect(runSubset(db.url, 'shop', { ...spec, roots: [{ table: 'shop.customers', where: 'id = 7' }] })).rejects.toThrow(
      /selected rows of shop\.customers reference shop\.audit, which is listed under empty, through foreign key customers_last_audit_fkey \(last_audit\)/,
    );
    const nulled = await runSubset(db.url, 'shop', {
      ...spec,
      roots: [{ table: 'shop.customers', where: 'id = 7' }],
      nullOutside: [{ table: 'shop.customers', foreignKey: 'customers_last_audit_fkey' }],
    });
    expect(values(nulled, 'shop.customers', 'last_audit')).toEqual([null]);
  });

  it('selects the same rows when steps read their source rows as many (largeFrom)', async () => {
    for (const [schema, spec] of [
      ['shop', { roots: [{ table: 'shop.customers', where: 'id > 3', limit: 8 }], children: 'all' as const }],
      ['part', { roots: [{ table: 'part.customers', where: "region = 'north'" }], children: 'all' as const }],
      ['part', { roots: [{ table: 'part.lines', where: 'n = 1' }, { table: 'part.dogs' }] }],
      [
        'poly',
        {
          roots: [{ table: 'poly.comments' }],
          virtualKeys: [{ name: 'p', table: 'poly.comments', columns: ['subject_id'], references: 'poly.posts', where: "subject_type = 'Post'" }],
        },
      ],
    ] as const) {
      const tid = await runSubset(db.url, schema, spec);
      const large = await runSubset(db.url, schema, spec, { largeFrom: 1 });
      expect(large.ctids).toEqual(tid.ctids);
    }
  });

  it('is deterministic: two runs select the same rows at the same ctids', async () => {
    const spec = { roots: [{ table: 'shop.customers', where: 'id > 3', limit: 8 }], children: 'all' as const };
    const first = await runSubset(db.url, 'shop', spec);
    const second = await runSubset(db.url, 'shop', spec);
    expect(second.ctids).toEqual(first.ctids);
    expect(second.rows).toEqual(first.rows);
    expect(values(first, 'shop.customers', 'id')).toEqual([4, 5, 6, 7, 8, 9, 10, 11]);
    expect(first.rows.get('shop.order_lines')).toHaveLength(8 * 5 * 3);
  });

  it('reads the child rows of a parent step by Tid Scan and the parents through their index', async () => {
    const plan = await withSession(db.url, async (session) => {
      await session.query('BEGIN');
      try {
        const graph = referenceGraph(await readCatalog(session, { schemas: ['big'] }), { roots: [{ table: 'big.orders', where: 'id % 100 = 0' }] });
        await selectSubset(session, graph);
        const edge = graph.edges.find((e) => e.name === 'orders_customer_id_fkey')!;
        const rows = await session.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${parentStepSql(graph, edge)}`.replace('$1', '99').replace('$2', '0'));
        return rows.map((r) => r['QUERY PLAN']).join('\n');
      } finally {
        await session.query('ROLLBACK');
      }
    });
    expect(plan).toMatch(/Tid Scan on orders/);
    expect(plan).toMatch(/Index Scan using customers_pkey/);
  });

  it('names what it cannot resolve', async () => {
    const catalog = await withSession(db.url, (s) => readCatalog(s, { schemas: ['shop', 'emp'] }));
    const graph = (spec: object) => () => referenceGraph(catalog, { roots: [{ table: 'shop.customers' }], ...spec });
    expect(graph({ roots: [{ table: 'shop.nope' }] })).toThrow(SubsetError);
    expect(graph({ roots: [{ table: 'shop.nope' }] })).toThrow(/root shop\.nope is not a table of the source/);
    expect(graph({ children: [{ table: 'shop.orders', foreignKey: 'nope' }] })).toThrow(/shop\.orders has no foreign key or virtual key named nope/);
    expect(graph({ nullOutside: [{ table: 'shop.orders', foreignKey: 'orders_customer_id_fkey' }] })).toThrow(/column customer_id is NOT NULL/);
    expect(graph({ virtualKeys: [{ name: 'v', table: 'shop.orders', columns: ['created'], references: 'shop.order_lines', referencedColumns: ['line'] }] })).toThrow(
      /not the primary key or a unique key of shop\.order_lines/,
    );
    expect(graph({ virtualKeys: [{ name: 'v', table: 'shop.orders', columns: ['nope'], references: 'shop.customers' }] })).toThrow(/shop\.orders has no column nope/);
    expect(graph({ whole: ['shop.audit'], empty: ['shop.audit'] })).toThrow(/both under whole and under empty/);
    expect(() => referenceGraph(catalog, { roots: [{ table: 'shop.audit' }], empty: ['shop.audit'] })).toThrow(/is a root and listed under empty/);
  });
});

async function withSession<T>(url: string, fn: (session: Session) => Promise<T>): Promise<T> {
  const session = await Session.connect(url, 'source');
  try {
    return await fn(session);
  } finally {
    await session.end();
  }
}

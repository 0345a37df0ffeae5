import { describe, expect, it } from 'vitest';
import { columnTypeInfo } from '../../src/dump/column-type.js';
import { DumpSchema } from '../../src/dump/dump-schema.js';

const none = { enums: new Set<string>(), domains: new Map<string, string>() };

describe('dump schema', () => {
  it('learns partitions from ATTACH PARTITION and PARTITION OF, and inheritance parents', () => {
    const schema = new DumpSchema();
    expect(schema.declaresPartitions).toBe(false);
    schema.learn('CREATE TABLE public.m (\n    id integer,\n    at date\n)\nPARTITION BY RANGE (at);');
    schema.learn('CREATE TABLE public.m_2024 (\n    id integer,\n    at date\n);');
    schema.learn("ALTER TABLE ONLY public.m ATTACH PARTITION public.m_2024 FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');");
    schema.learn('CREATE TABLE "Sales"."Del 1" PARTITION OF "Sales".orders\nFOR VALUES IN (1);');
    schema.learn('ALTER TABLE public.m ATTACH PARTITION public.m_default DEFAULT;');
    schema.learn('CREATE TABLE public.c (\n    y integer\n)\nINHERITS (public.p, "Other"."Q");');
    expect(schema.declaresPartitions).toBe(true);
    expect(schema.partitionOf('public.m_2024')).toBe('public.m');
    expect(schema.partitionOf('public.m_default')).toBe('public.m');
    expect(schema.partitionOf('"Sales"."Del 1"')).toBe('"Sales".orders');
    expect(schema.partitionOf('public.c')).toBeUndefined();
    expect(schema.inheritsFrom('public.c')).toEqual(['public.p', '"Other"."Q"']);
    expect(schema.has('public.m_2024')).toBe(true);
    expect(schema.has('public.nothing')).toBe(false);
  });

  it('reads column types, with enums, domains and arrays, and lends a parent’s to its partitions', () => {
    const schema = new DumpSchema();
    schema.learn("CREATE TYPE public.mood AS ENUM (\n    'sad',\n    'ok'\n);");
    schema.learn('CREATE DOMAIN public.short_text AS character varying(8) NOT NULL;');
    schema.learn(
      [
        'CREATE TABLE public."Order Items" (',
        '    "select" integer NOT NULL,',
        '    "x""y" character varying(13) COLLATE pg_catalog."C",',
        "    note text DEFAULT 'a, b'::text,",
        '    feel public.mood,',
        '    code public.short_text,',
        '    tags text[],',
        '    at timestamp(3) with time zone DEFAULT now(),',
        '    total numeric(12,2) GENERATED ALWAYS AS ((qty * 2)) STORED,',
        '    CONSTRAINT positive CHECK (("select" > 0))',
        ')',
        'PARTITION BY LIST ("select");',
      ].join('\n'),
    );
    schema.learn('CREATE TABLE public.items_1 PARTITION OF public."Order Items"\nFOR VALUES IN (1);');
    const key = 'public."Order Items"';
    expect(schema.columnType(key, 'select')).toMatchObject({ family: 'integer', type: 'integer' });
    expect(schema.columnType(key, 'x"y')).toMatchObject({ family: 'text', maxLength: 13, type: 'character varying(13)' });
    expect(schema.columnType(key, 'note')).toMatchObject({ family: 'text', maxLength: undefined });
    expect(schema.columnType(key, 'feel')).toMatchObject({ family: 'enum' });
    expect(schema.columnType(key, 'code')).toMatchObject({ family: 'text', maxLength: 8, type: 'public.short_text' });
    expect(schema.columnType(key, 'tags')).toMatchObject({ family: 'array', elementFamily: 'text' });
    expect(schema.columnType(key, 'at')).toMatchObject({ family: 'timestamp' });
    expect(schema.columnType(key, 'total')).toBeUndefined(); // generated: never in COPY data
    expect(schema.columnType(key, 'positive')).toBeUndefined();
    expect(schema.columnType('public.items_1', 'x"y')).toMatchObject({ family: 'text', maxLength: 13 });
  });

  it('maps format_type text to families', () => {
    expect(columnTypeInfo('double precision', none).family).toBe('numeric');
    expect(columnTypeInfo('timestamp without time zone', none).family).toBe('timestamp');
    expect(columnTypeInfo('time(6) with time zone', none).family).toBe('time');
    expect(columnTypeInfo('interval year to month', none).family).toBe('time');
    expect(columnTypeInfo('character(3)', none)).toMatchObject({ family: 'text', maxLength: 3 });
    expect(columnTypeInfo('character', none)).toMatchObject({ family: 'text', maxLength: 1 });
    expect(columnTypeInfo('"char"', none).family).toBe('text');
    expect(columnTypeInfo('integer[][]', none)).toMatchObject({ family: 'array', elementFamily: 'integer' });
    expect(columnTypeInfo('jsonb', none).family).toBe('json');
    expect(columnTypeInfo('public.citext', none).family).toBe('text');
    expect(columnTypeInfo('public.geometry(Point,4326)', none).family).toBe('other');
  });
});

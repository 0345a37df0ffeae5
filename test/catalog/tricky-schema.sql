-- A schema with the features catalog introspection and rule checking must get right.
CREATE EXTENSION citext;
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE DOMAIN short_text AS varchar(12) NOT NULL;
CREATE DOMAIN shorter_text AS short_text;
CREATE DOMAIN code_char AS char(3);
CREATE DOMAIN int_list AS int[];

CREATE TABLE customers (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email varchar(40) NOT NULL UNIQUE,
  name text,
  nickname short_text,
  nick2 shorter_text,
  country code_char,
  mood mood,
  tags text[],
  scores int_list,
  full_label text GENERATED ALWAYS AS (coalesce(name, '') || ' <' || email || '>') STORED,
  created_at timestamptz NOT NULL DEFAULT now(),
  "select" text,
  "x""); drop table t;--" text,
  handle citext
);
CREATE UNIQUE INDEX customers_lower_email ON customers (lower(email));
CREATE UNIQUE INDEX customers_name_nick ON customers (name, nickname) INCLUDE (mood);

CREATE TABLE serials (id serial PRIMARY KEY, note text);
ALTER TABLE serials DROP COLUMN note;
ALTER TABLE serials ADD COLUMN after_drop text;

CREATE TABLE "Order Items" (
  order_id int NOT NULL,
  line int NOT NULL,
  customer_email varchar(40) REFERENCES customers (email),
  PRIMARY KEY (order_id, line)
);

CREATE SCHEMA "Sales";
CREATE TABLE "Sales"."Kund" ("Namn" text, "Ålder" int, "e.post" text);
CREATE SCHEMA "a.b";
CREATE TABLE "a.b"."c" (id int);
CREATE TABLE "ünïcødé" ("名前" text, "emoji 🎉" text);

-- Composite keys and a foreign key cycle.
CREATE TABLE parent (a int, b int, label text, PRIMARY KEY (a, b));
CREATE TABLE child (id int PRIMARY KEY, pa int, pb int, FOREIGN KEY (pa, pb) REFERENCES parent (a, b));
CREATE TABLE ping (id int PRIMARY KEY, pong_id int);
CREATE TABLE pong (id int PRIMARY KEY, ping_id int REFERENCES ping (id));
ALTER TABLE ping ADD FOREIGN KEY (pong_id) REFERENCES pong (id) NOT VALID;

-- Partitions, two levels, and a foreign key that references a partitioned table.
CREATE TABLE events (id int NOT NULL, at date NOT NULL, payload text, PRIMARY KEY (id, at)) PARTITION BY RANGE (at);
CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01') PARTITION BY LIST (id);
CREATE TABLE events_2024_a PARTITION OF events_2024 FOR VALUES IN (1, 2, 3);
CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE event_refs (id int PRIMARY KEY, event_id int, event_at date, FOREIGN KEY (event_id, event_at) REFERENCES events (id, at));

-- Inheritance.
CREATE TABLE animals (id int, name text);
CREATE TABLE dogs (breed text) INHERITS (animals);

CREATE UNLOGGED TABLE scratch (v text);

CREATE TABLE secrets (id int PRIMARY KEY, owner_name text);
ALTER TABLE secrets ENABLE ROW LEVEL SECURITY;
CREATE TABLE forced (id int PRIMARY KEY);
ALTER TABLE forced ENABLE ROW LEVEL SECURITY;
ALTER TABLE forced FORCE ROW LEVEL SECURITY;

CREATE VIEW customer_names AS SELECT id, name FROM customers;
CREATE MATERIALIZED VIEW customer_count AS SELECT count(*) AS n FROM customers;

-- Row-level security on tables a test hands to a role without BYPASSRLS.
CREATE TABLE owned_rls (id int);
ALTER TABLE owned_rls ENABLE ROW LEVEL SECURITY;
CREATE TABLE owned_forced (id int);
ALTER TABLE owned_forced ENABLE ROW LEVEL SECURITY;
ALTER TABLE owned_forced FORCE ROW LEVEL SECURITY;

-- Objects that belong to an extension are left out.
CREATE TABLE ext_member (id int);
ALTER EXTENSION citext ADD TABLE ext_member;
CREATE VIEW ext_view AS SELECT 1 AS one;
ALTER EXTENSION citext ADD VIEW ext_view;

-- A foreign table: listed, never copied.
CREATE EXTENSION file_fdw;
CREATE SERVER files FOREIGN DATA WRAPPER file_fdw;
CREATE FOREIGN TABLE remote_rows (a text) SERVER files OPTIONS (filename '/dev/null');

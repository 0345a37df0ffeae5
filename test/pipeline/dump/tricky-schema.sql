-- A schema whose pg_dump tests every part of pgmask mask: partitions on two levels, enums,
-- domains, arrays, jsonb, generated columns, quoted identifiers, inheritance, and function
-- bodies and comments holding text that looks like COPY and INSERT statements.
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE DOMAIN short_text AS varchar(20);

CREATE TABLE people (
  id int PRIMARY KEY,
  personnummer text NOT NULL UNIQUE,
  email text UNIQUE,
  mood mood,
  nicknames text[],
  profile jsonb,
  "select" text,
  "x""y" text,
  "Ünï" short_text,
  label text GENERATED ALWAYS AS (coalesce("select", '') || '!') STORED
);

CREATE TABLE "Order Items" (
  "Order ID" int,
  "select" text,
  buyer_email text,
  note text
);

CREATE TABLE events (id int NOT NULL, at date NOT NULL, email text, PRIMARY KEY (id, at)) PARTITION BY RANGE (at);
CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01') PARTITION BY LIST (id);
CREATE TABLE events_2024_a PARTITION OF events_2024 FOR VALUES IN (1, 2, 3);
CREATE TABLE events_2024_other PARTITION OF events_2024 DEFAULT;
CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');

CREATE TABLE animals (id int, owner_email text);
CREATE TABLE dogs (breed text) INHERITS (animals);

CREATE FUNCTION copy_lookalike() RETURNS void LANGUAGE plpgsql AS $body$
BEGIN
COPY x (a) FROM stdin;
INSERT INTO x VALUES (1);
RAISE NOTICE '%', 'line one
COPY x (a) FROM stdin;
INSERT INTO x VALUES (2);';
END;
$body$;

CREATE FUNCTION atomic_inserts() RETURNS void LANGUAGE sql
BEGIN ATOMIC
  INSERT INTO animals (id, owner_email) VALUES (-1, 'nobody@example.com');
  INSERT INTO animals (id, owner_email) VALUES (-2, 'noone@example.com');
END;

COMMENT ON TABLE animals IS 'A comment over lines
COPY public.animals (id, owner_email) FROM stdin;
INSERT INTO animals VALUES (1);';

INSERT INTO people (id, personnummer, email, mood, nicknames, profile, "select", "x""y", "Ünï") VALUES
  (1, '19121212-1212', 'tolvan.tolvansson@mail.se', 'happy', '{Tolle,"T T"}', '{"email": "tolvan.tolvansson@mail.se", "n": 1}', 'ring 070-123 45 67', 'Storgatan 1', 'Tolvan'),
  (2, '19800101-2384', 'anna.karlsson@mail.se', 'sad', '{}', '{"email": "anna.karlsson@mail.se"}', NULL, E'tab\there', 'Åsa'),
  (3, '19750505-5550', 'bo.ek@mail.se', NULL, NULL, NULL, 'select', E'back\\slash', NULL);

INSERT INTO "Order Items" VALUES (1, 'select', 'tolvan.tolvansson@mail.se', 'ships to anna.karlsson@mail.se'), (2, NULL, NULL, NULL);

INSERT INTO events VALUES (1, '2024-03-01', 'tolvan.tolvansson@mail.se'), (7, '2024-06-01', 'anna.karlsson@mail.se'), (1, '2025-02-01', 'bo.ek@mail.se');

INSERT INTO animals VALUES (10, 'bo.ek@mail.se');
INSERT INTO dogs VALUES (11, 'anna.karlsson@mail.se', 'tax');

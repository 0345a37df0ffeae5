/**
 * A small dump written the way pg_dump writes one, with every trap for a COPY detector:
 * COPY and INSERT text inside a dollar-quoted body, a BEGIN ATOMIC body, multi-line string
 * literals (standard and E'...'), nested block comments, quoted identifiers, meta-commands.
 */
export const TRICKY_DUMP = `--
-- PostgreSQL database dump
--

\\restrict Zk3vTq9

SET statement_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);

CREATE FUNCTION public.f() RETURNS text
    LANGUAGE plpgsql
    AS $_$
BEGIN
COPY x (a) FROM stdin;
INSERT INTO t VALUES (1);
RETURN 'it''s $1';
END;
$_$;

CREATE FUNCTION public.g() RETURNS void
    LANGUAGE sql
    BEGIN ATOMIC
 INSERT INTO public.t (a)
   VALUES (1);
INSERT INTO public.t (a)
   VALUES (2);
END;

SELECT $ü$
COPY public.t (a) FROM stdin;
$$ü$ AS body_ending_in_a_dollar;

COMMENT ON TABLE public.t IS 'first line
COPY public.t (a) FROM stdin;
INSERT INTO x VALUES (1);
last line';

COMMENT ON COLUMN public.t.a IS E'it\\'s
COPY public.t (a) FROM stdin;';

/* a comment
COPY public.t (a) FROM stdin;
/* nested */ still a comment
INSERT INTO x VALUES (1);
*/

CREATE TABLE public."Order Items" (
    "select" integer,
    "x""y" text,
    "Ünï" character varying(20)
);

CREATE TABLE public.t (
    a text
);

--
-- Data for Name: Order Items; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public."Order Items" ("select", "x""y", "Ünï") FROM stdin;
1	a\\tb	ü
2	\\N	\\\\.
3	COPY public.t (a) FROM stdin;	x
\\.


COPY public.t (a) FROM stdin;
\\.


SELECT pg_catalog.setval('public.s', 3, true);

\\unrestrict Zk3vTq9
`;

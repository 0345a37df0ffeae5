-- copy --schema existing fails on this shape (with or without subset:):
--   pgmask: cannot truncate a table referenced in a foreign key constraint [SQLSTATE 0A000]
-- make-schema.ts truncates `ONLY <leaf>` tables; the FK of the partitioned parent ev (conrelid = ev) references p,
-- and ev itself is not in the TRUNCATE list.
-- Repro: createdb src; psql -d src -f this; createdb dst; pg_dump --schema-only src | psql -d dst;
--        pgmask scan --source src --out r.yaml; pgmask copy --source src --target dst --rules r.yaml --schema existing
create table p (id int primary key);
insert into p select generate_series(1, 10);
create table ev (id int, p_id int not null references p, at date not null, primary key (id, at)) partition by range (at);
create table ev1 partition of ev for values from ('2025-01-01') to ('2026-01-01');
insert into ev values (1, 1, '2025-02-01');

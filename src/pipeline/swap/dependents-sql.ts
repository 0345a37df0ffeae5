/**
 * What depends on the relations `$1` (oids) or their row types, as `what` and `on_what`
 * (descriptions, no data), leaving out the relations themselves (partitions) and what belongs to
 * one of them and is built on its shadow (constraints, indexes, triggers, defaults, a policy's
 * references to its own table; a policy that reads another table is not left out: made on the
 * shadow, it would read the old table).
 *
 * `carried over`, before the run: what the swap carries over is left out too (views, foreign
 * keys), and publications, rules and extended statistics on the relations are added (the swap
 * cannot carry them). `left behind`, inside the swap once the old tables are out: anything
 * still depending on them, which would go on reading them; the swap rolls back instead.
 */
export function dependentsSql(mode: 'carried over' | 'left behind'): string {
  const carried = mode === 'carried over';
  return `
SELECT DISTINCT CASE WHEN d.classid = 'pg_rewrite'::regclass THEN (SELECT pg_describe_object('pg_class'::regclass, r.ev_class, 0) FROM pg_rewrite r WHERE r.oid = d.objid)
                ELSE pg_describe_object(d.classid, d.objid, d.objsubid) END AS what, pg_describe_object(d.refclassid, d.refobjid, 0) AS on_what
  FROM pg_depend d
 WHERE d.deptype = 'n'
   AND (d.refclassid = 'pg_class'::regclass AND d.refobjid = ANY($1::oid[])
        OR d.refclassid = 'pg_type'::regclass AND d.refobjid IN (SELECT reltype FROM pg_class WHERE oid = ANY($1::oid[])))
${
  carried
    ? `   AND NOT (d.classid = 'pg_rewrite'::regclass AND EXISTS (
         SELECT 1 FROM pg_rewrite r JOIN pg_class v ON v.oid = r.ev_class WHERE r.oid = d.objid AND v.relkind = 'v' AND r.rulename = '_RETURN'))
`
    : ''
}   AND NOT (d.classid = 'pg_constraint'::regclass AND EXISTS (
         SELECT 1 FROM pg_constraint k WHERE k.oid = d.objid AND (${carried ? "k.contype = 'f' OR " : ''}k.conrelid = ANY($1::oid[]))))
   AND NOT (d.classid = 'pg_class'::regclass AND (d.objid = ANY($1::oid[]) OR EXISTS (
         SELECT 1 FROM pg_index i WHERE i.indexrelid = d.objid AND i.indrelid = ANY($1::oid[]))))
   AND NOT (d.classid = 'pg_trigger'::regclass AND EXISTS (SELECT 1 FROM pg_trigger t WHERE t.oid = d.objid AND t.tgrelid = ANY($1::oid[])))
   AND NOT (d.classid = 'pg_policy'::regclass AND EXISTS (SELECT 1 FROM pg_policy p WHERE p.oid = d.objid AND p.polrelid = d.refobjid))
   AND NOT (d.classid = 'pg_attrdef'::regclass AND EXISTS (SELECT 1 FROM pg_attrdef a WHERE a.oid = d.objid AND a.adrelid = ANY($1::oid[])))
   AND NOT (d.classid = 'pg_statistic_ext'::regclass AND EXISTS (SELECT 1 FROM pg_statistic_ext x WHERE x.oid = d.objid AND x.stxrelid = ANY($1::oid[])))
${
  carried
    ? `UNION
SELECT 'publication ' || quote_ident(p.pubname), pg_describe_object('pg_class'::regclass, pr.prrelid, 0)
  FROM pg_publication_rel pr JOIN pg_publication p ON p.oid = pr.prpubid WHERE pr.prrelid = ANY($1::oid[])
UNION
SELECT 'rule ' || quote_ident(r.rulename), pg_describe_object('pg_class'::regclass, r.ev_class, 0)
  FROM pg_rewrite r WHERE r.ev_class = ANY($1::oid[])
UNION
SELECT pg_describe_object('pg_statistic_ext'::regclass, x.oid, 0), pg_describe_object('pg_class'::regclass, x.stxrelid, 0)
  FROM pg_statistic_ext x WHERE x.stxrelid = ANY($1::oid[])`
    : ''
}`;
}

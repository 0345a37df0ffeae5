import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli.js';
import { createDatabase, useDatabase } from '../../support/database.js';
import { needsPgDump } from '../../support/pg-dump.js';
import { writeRulesFile } from '../../support/rules-file.js';

const { file: rulesFile } = writeRulesFile(
  'pgmask-ip-',
  `version: 1
unlisted: keep
tables:
  public.logins:
    columns:
      id: keep
      client: ip
      block: ip
      client_text: ip
      event: { transform: json, paths: { "$.ip": ip, "$.hops[*]": ip } }
      note: text.scrub
  public.blocklist:
    columns:
      net: { transform: ip, keep_prefix: { v4: 8, v6: 32 } }
      reason: keep
`,
);

/** Whether an address (inet's text without a mask) lies in a documentation range, plain or IPv4-mapped. */
const DOCUMENTATION = `(a << '192.0.2.0/24' OR a << '198.51.100.0/24' OR a << '203.0.113.0/24' OR a << '2001:db8::/32'
  OR a << '::ffff:192.0.2.0/120' OR a << '::ffff:198.51.100.0/120' OR a << '::ffff:203.0.113.0/120')`;

describe('pgmask copy masks IP addresses in inet, cidr, text, jsonb and free text', async () => {
  const source = await useDatabase('pgmask_ip_src');
  beforeAll(async () => {
    await source.query(`
      CREATE TABLE logins (id int PRIMARY KEY, client inet NOT NULL, block cidr, client_text varchar(45), event jsonb, note text);
      CREATE TABLE blocklist (net cidr PRIMARY KEY, reason text);
      INSERT INTO logins
        SELECT i, a, network(set_masklen(a, CASE WHEN family(a) = 4 THEN 24 WHEN host(a) LIKE '::ffff:%' THEN 120 ELSE 48 END)), host(a),
               jsonb_build_object('ip', host(a), 'hops', jsonb_build_array(host(a), '81.232.' || (i % 256) || '.7'), 'ok', i % 2 = 0),
               'Login från ' || host(a) || ' kl 12:30:45 med klient version 1.2.3.4'
        FROM (SELECT i, (CASE i % 4
                WHEN 0 THEN '10.' || (1 + i % 200) || '.' || (i % 256) || '.' || (1 + i % 250)
                WHEN 1 THEN '81.232.' || (i % 256) || '.' || (1 + i % 250) || '/' || (16 + i % 17)
                WHEN 2 THEN '2a02:aa1:' || to_hex(i) || '::' || to_hex(i * 7)
                ELSE '::ffff:10.9.' || (i % 256) || '.' || (1 + i % 250) END)::inet AS a
              FROM generate_series(1, 400) AS i) s;
      INSERT INTO blocklist SELECT DISTINCT block, 'abuse' FROM logins;
      ANALYZE;`);
  });

  it('loads the target, keeps family and mask length, agrees across columns, and holds no original address', await needsPgDump(), async () => {
    const target = await createDatabase('pgmask_ip_dst');
    try {
      const result = await runCli(['copy', '--source', source.url, '--target', target.url, '--rules', rulesFile]);
      expect(result.stderr).toContain('succeeded');
      expect(result.code).toBe(0);

      const before = await source.query<{ id: number; family: number; masklen: number; block_len: number }>(
        'SELECT id, family(client) AS family, masklen(client) AS masklen, masklen(block) AS block_len FROM logins ORDER BY id',
      );
      const after = await target.query<{ id: number; family: number; masklen: number; block_len: number }>(
        'SELECT id, family(client) AS family, masklen(client) AS masklen, masklen(block) AS block_len FROM logins ORDER BY id',
      );
      expect(after).toHaveLength(400);
      expect(after).toEqual(before);

      // Every address now comes from the documentation ranges, and the same address agrees wherever it was.
      const [check] = await target.query<{ outside: number; disagree: number; mapped: number; rest_kept: number }>(`
        SELECT count(*) FILTER (WHERE NOT (SELECT bool_and(${DOCUMENTATION}) FROM (VALUES (host(client)::inet), (client_text::inet), ((event->>'ip')::inet), (host(block)::inet)) v(a)))::int AS outside,
               count(*) FILTER (WHERE client_text <> event->>'ip' OR event->'hops'->>0 <> client_text
                                 OR note <> 'Login från ' || client_text || ' kl 12:30:45 med klient version 1.2.3.4')::int AS disagree,
               count(*) FILTER (WHERE host(client) LIKE '::ffff:%.%')::int AS mapped,
               count(*) FILTER (WHERE event->'ok' = to_jsonb(id % 2 = 0))::int AS rest_kept
        FROM logins`);
      expect(check).toEqual({ outside: 0, disagree: 0, mapped: 100, rest_kept: 400 });
      // inet agrees with the text of its address; one written with a mask its host bits fill with zeros (81.232.3.2/31)
      // is taken as a network, as cidr values are, and stays one.
      const networks =
        'SELECT id, host(client) AS host, client_text, client = network(client) AND masklen(client) < 32 AS network FROM logins WHERE family(client) = 4 ORDER BY id';
      const sourceRows = await source.query<{ id: number; network: boolean }>(networks);
      const targetRows = await target.query<{ id: number; host: string; client_text: string; network: boolean }>(networks);
      expect(sourceRows.filter((r) => r.network).length).toBeGreaterThan(3);
      expect(targetRows.filter((r, i) => (sourceRows[i]!.network ? !r.network : r.host !== r.client_text))).toEqual([]);

      // The blocklist's key keeps the first octet (IPv4) or 32 bits (IPv6), and every network stays distinct.
      const prefixes = 'SELECT count(*)::int AS n, array_agg(DISTINCT host(set_masklen(net, CASE WHEN family(net) = 4 THEN 8 ELSE 32 END)::cidr)) AS prefixes FROM blocklist';
      const [blocks] = await target.query<{ n: number; prefixes: string[] }>(prefixes);
      expect(blocks).toEqual((await source.query(prefixes))[0]);
      expect(blocks!.n).toBeGreaterThan(200);
      expect((await target.copyOut('blocklist')).equals(await source.copyOut('blocklist'))).toBe(false);

      // No original address, nor the IPv4 address inside a mapped one, is left in the masked table.
      const originals = (
        await source.query<{ a: string }>(
          `SELECT DISTINCT a FROM (SELECT host(client) AS a FROM logins UNION SELECT host(block) FROM logins UNION SELECT jsonb_array_elements_text(event->'hops') FROM logins) s`,
        )
      ).flatMap(({ a }) => (a.startsWith('::ffff:') ? [a, a.slice(7)] : [a]));
      expect(originals.length).toBeGreaterThan(700);
      const text = (await target.copyOut('logins')).toString();
      const escape = (s: string): string => s.replace(/[.:]/g, '\\$&');
      const present = (a: string, within: string): boolean => new RegExp(`(?<![0-9A-Fa-f.])${escape(a)}(?![0-9A-Fa-f]|[.:][0-9A-Fa-f])`).test(within);
      expect(originals.filter((a) => present(a, text))).toEqual([]);
      // The check finds every one of them in the source.
      const sourceText = (await source.copyOut('logins')).toString();
      expect(originals.filter((a) => !present(a, sourceText))).toEqual([]);
    } finally {
      await target.drop();
    }
  });

  it('refuses a macaddr column before copying, naming it', await needsPgDump(), async () => {
    await source.query('CREATE TABLE devices (id int PRIMARY KEY, mac macaddr); INSERT INTO devices VALUES (1, $$08:00:2b:01:02:03$$);');
    const { file } = writeRulesFile('pgmask-ip-mac-', 'version: 1\nunlisted: keep\ntables:\n  public.devices:\n    columns:\n      id: keep\n      mac: ip\n');
    const target = await createDatabase('pgmask_ip_mac_dst');
    try {
      const result = await runCli(['copy', '--source', source.url, '--target', target.url, '--rules', file]);
      expect(result.code).not.toBe(0);
      expect(result.stderr).toContain('public.devices.mac is macaddr: for MAC addresses use redact, or hash with length: 12');
      expect(result.stderr).not.toContain('08:00:2b:01:02:03');
    } finally {
      await source.query('DROP TABLE devices');
      await target.drop();
    }
  });
});

import type { TestDatabase } from '../../support/database.js';

/** Anna's identifiers as the CRM stores them in `customers`, and as a request may give them. */
export const ANNA = {
  personnummerStored: '198112189876',
  personnummerAsked: '811218-9876',
  emailStored: 'anna.svensson@example.se',
  emailAsked: 'Anna.Svensson@EXAMPLE.se',
  phoneStored: '070-123 45 67',
  phoneAsked: '+46701234567',
};

/** Bertil, the second person: none of his rows may come back when Anna is searched. */
export const BERTIL = { personnummer: '197505051238', email: 'bertil@example.se', phone: '0707654321' };

/**
 * A small CRM: customers (personnummer unique and indexed, e-mail with an index on lower(email), phone), contacts, orders and
 * their lines, invoices, free-text notes, newsletter signups without a primary key, devices
 * with JSON settings, an archive holding the personnummer as an integer, events partitioned by
 * date, and audit entries that reference customers through a virtual key (`subject_type`).
 */
export async function createCrm(db: TestDatabase): Promise<void> {
  await db.query(`
    CREATE TABLE customers (id int PRIMARY KEY, personnummer text NOT NULL UNIQUE, email text, phone text, name text);
    CREATE INDEX customers_email_lower ON customers (lower(email));
    CREATE TABLE contacts (id int PRIMARY KEY, customer_id int NOT NULL REFERENCES customers, kind text, phone text);
    CREATE TABLE orders (id int PRIMARY KEY, customer_id int NOT NULL REFERENCES customers, placed date);
    CREATE TABLE order_lines (order_id int NOT NULL REFERENCES orders, line int NOT NULL, product text, PRIMARY KEY (order_id, line));
    CREATE TABLE invoices (id int PRIMARY KEY, customer_id int REFERENCES customers, amount numeric);
    CREATE TABLE notes (id int PRIMARY KEY, body text);
    CREATE TABLE newsletter_signups (email text NOT NULL, signed_up date);
    CREATE TABLE devices (id int PRIMARY KEY, settings jsonb);
    CREATE TABLE customer_archive (id int PRIMARY KEY, pnr bigint);
    CREATE TABLE products (id int PRIMARY KEY, title text);
    CREATE TABLE events (id int, customer_id int REFERENCES customers, at date NOT NULL, PRIMARY KEY (id, at)) PARTITION BY RANGE (at);
    CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
    CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
    CREATE TABLE audit_entries (id int PRIMARY KEY, subject_type text NOT NULL, subject_id int NOT NULL);

    INSERT INTO customers VALUES
      (1, '${ANNA.personnummerStored}', '${ANNA.emailStored}', '${ANNA.phoneStored}', 'Anna Svensson'),
      (2, '${BERTIL.personnummer}', '${BERTIL.email}', '${BERTIL.phone}', 'Bertil Ek');
    INSERT INTO contacts VALUES (1, 1, 'home', '08-123 456 78'), (2, 2, 'home', '08-765 432 10');
    INSERT INTO orders VALUES (10, 1, '2026-01-01'), (11, 1, '2026-02-01'), (20, 2, '2026-03-01');
    INSERT INTO order_lines VALUES (10, 1, 'pen'), (10, 2, 'ink'), (11, 1, 'paper'), (20, 1, 'pen');
    INSERT INTO invoices VALUES (100, 1, 50), (200, 2, 70), (300, NULL, 10);
    INSERT INTO notes VALUES
      (1, 'Kunden skrev från ${ANNA.emailStored.toUpperCase()} om leveransen.'),
      (2, 'Personnummer 19811218-9876 kontrollerat.'),
      (3, 'Bertil ringde från ${BERTIL.phone}.'),
      (4, 'Inget om någon: x${ANNA.emailStored} är en annan adress, 1981121898761 ett annat nummer.');
    INSERT INTO newsletter_signups VALUES ('${ANNA.emailStored.toUpperCase()}', '2025-05-05'), ('${BERTIL.email}', '2025-06-06'), ('x${ANNA.emailStored}', '2025-07-07');
    INSERT INTO devices VALUES (1, '{"owner": {"mobile": "+46 70-123 45 67"}}'), (2, '{"owner": {"mobile": "+46707654321"}}'), (3, '{"serial": "0701234567890"}');
    INSERT INTO customer_archive VALUES (1, ${ANNA.personnummerStored}), (2, ${BERTIL.personnummer});
    INSERT INTO products VALUES (1, 'pen');
    INSERT INTO events VALUES (1, 1, '2025-03-03'), (2, 1, '2026-03-03'), (3, 2, '2026-04-04');
    INSERT INTO audit_entries VALUES (1, 'Customer', 1), (2, 'Order', 1), (3, 'Customer', 2);
    ANALYZE;`);
}

/** Rules naming the transformers of each personal column. */
export const CRM_RULES = `version: 1
unlisted: keep
tables:
  public.customers:
    columns:
      personnummer: se.personnummer
      email: email
      phone: se.phone
      name: person.full_name
  public.contacts:
    columns:
      phone: se.phone
  public.notes:
    columns:
      body: text.scrub
  public.newsletter_signups:
    columns:
      email: email
  public.devices:
    columns:
      settings: { transform: json, paths: { "$.owner.mobile": se.phone } }
  public.customer_archive:
    columns:
      pnr: se.personnummer
subset:
  roots:
    - { table: public.customers, limit: 1 }
  virtual_keys:
    - { name: audit_customer, table: public.audit_entries, columns: [subject_id], references: public.customers, where: "subject_type = 'Customer'" }
`;

// Creates the CRM fixture in an empty database: tsx scripts/seed-crm.ts URL [CUSTOMERS]
import { seedCrm } from '../fixtures/crm/seed.js';

const [url, customers] = process.argv.slice(2);
if (!url) {
  process.stderr.write('usage: tsx scripts/seed-crm.ts URL [CUSTOMERS]\n');
  process.exit(2);
}
await seedCrm(url, { customers: customers ? Number(customers) : 10_000 });

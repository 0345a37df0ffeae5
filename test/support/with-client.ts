import pg from 'pg';

/** Runs `fn` on a fresh connection to `url` and closes it afterwards (tests and benchmarks; no vitest import). */
export async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

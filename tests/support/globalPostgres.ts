/**
 * vitest global setup: with `AETHER_TEST_METADATA=postgres`, one throwaway PostgreSQL cluster for
 * the whole run, whose URL reaches every test through `AETHER_TEST_PG_URL`; `startServer` then
 * puts each test server's metadata in a fresh database of it (see tests/support/server.ts), so
 * the HTTP suite runs unchanged on PostgreSQL. `.ci/run` runs tests/server that way after
 * `npm test`. Without the variable this does nothing.
 */
import { startPostgres, type PostgresCluster } from "./postgres.js";

let cluster: PostgresCluster | undefined;

export async function setup(): Promise<void> {
  if (process.env.AETHER_TEST_METADATA !== "postgres") return;
  cluster = await startPostgres();
  process.env.AETHER_TEST_PG_URL = cluster.url("postgres");
}

export async function teardown(): Promise<void> {
  await cluster?.close();
}

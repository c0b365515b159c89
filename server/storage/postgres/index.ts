/**
 * Entry point of the PostgreSQL metadata backend. It is kept out of `../index.ts` so that the
 * embedded server and CLI never load `pg`: only code that asks for PostgreSQL imports this file.
 */
import { PostgresMetadataStore } from "./PostgresMetadataStore.js";
import type { PostgresStoreOptions } from "./connection.js";

export { PostgresMetadataStore } from "./PostgresMetadataStore.js";
export { DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_POOL_MAX, DEFAULT_QUERY_TIMEOUT_MS, type PostgresStoreOptions } from "./connection.js";
export { MIGRATIONS as POSTGRES_MIGRATIONS } from "./schema.js";

/**
 * Opens the PostgreSQL metadata store at `url` (connects, migrates; see
 * {@link PostgresMetadataStore.open} for the one-line errors). Pair it with a blob store; call
 * `close()` when done.
 */
export function openPostgresStorage(url: string, options: PostgresStoreOptions = {}): Promise<PostgresMetadataStore> {
  return PostgresMetadataStore.open(url, options);
}

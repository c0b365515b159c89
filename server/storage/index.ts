/**
 * Public entry point of the storage layer: the interfaces, the domain errors, the id helpers and
 * the embedded backends, plus `openEmbeddedStorage`, which the server and the `aether` CLI use.
 */
import { mkdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { DiskBlobStore } from "./disk/DiskBlobStore.js";
import { SqliteMetadataStore } from "./sqlite/SqliteMetadataStore.js";
import type { BlobStore, MetadataStore, MetadataStoreOptions } from "./types.js";

export * from "./errors.js";
export * from "./ids.js";
export type * from "./types.js";
export { BLOB_KEY_PATTERN, assertBlobKey, newBlobKey } from "./blobKey.js";
export { DiskBlobStore, DEFAULT_SWEEP_GRACE_MS } from "./disk/DiskBlobStore.js";
export { SqliteMetadataStore } from "./sqlite/SqliteMetadataStore.js";

/** Both halves of the storage layer. */
export interface Storage {
  /** Users, keys, files, folders, counters. */
  metadata: MetadataStore;
  /** File contents. */
  blobs: BlobStore;
}

/** File name of the SQLite database inside the data dir. */
export const DATABASE_FILE = "aethercdn.db";
/** Directory of the blob store inside the data dir. */
export const BLOBS_DIR = "blobs";

/**
 * Opens the embedded backends on `dataDir` (created if missing): SQLite at
 * `<dataDir>/aethercdn.db`, blobs under `<dataDir>/blobs`. Safe to call from several processes
 * on the same dir at once. Call `metadata.close()` when done.
 */
export async function openEmbeddedStorage(
  dataDir: string,
  options: MetadataStoreOptions = {},
): Promise<Storage> {
  const root = resolve(dataDir);
  await mkdir(root, { recursive: true });
  return {
    metadata: new SqliteMetadataStore(join(root, DATABASE_FILE), options),
    blobs: new DiskBlobStore(join(root, BLOBS_DIR)),
  };
}

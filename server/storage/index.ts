/**
 * Public entry point of the storage layer: the interfaces, the domain errors, the id helpers and
 * the embedded backends, plus `openEmbeddedStorage`, which the server and the `aether` CLI use.
 */
import { access, mkdir } from "node:fs/promises";
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

/** A data dir without a database, opened with `create: false`. */
export class MissingDatabaseError extends Error {
  constructor(readonly dataDir: string) {
    super(`no database in ${dataDir} (expected ${DATABASE_FILE}); start the server once there, or name the right data dir`);
    this.name = "MissingDatabaseError";
  }
}

/**
 * Opens the embedded backends on `dataDir` (created if missing, unless `create: false`, which
 * throws {@link MissingDatabaseError} when the dir holds no database): SQLite at
 * `<dataDir>/aethercdn.db`, blobs under `<dataDir>/blobs`. Safe to call from several processes
 * on the same dir at once. Call `metadata.close()` when done.
 */
export async function openEmbeddedStorage(
  dataDir: string,
  options: MetadataStoreOptions & { create?: boolean } = {},
): Promise<Storage> {
  const root = resolve(dataDir);
  if (options.create === false) {
    await access(join(root, DATABASE_FILE)).catch(() => {
      throw new MissingDatabaseError(root);
    });
  }
  await mkdir(root, { recursive: true });
  return {
    metadata: new SqliteMetadataStore(join(root, DATABASE_FILE), options),
    blobs: new DiskBlobStore(join(root, BLOBS_DIR)),
  };
}

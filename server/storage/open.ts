/**
 * The storage a server process runs on, chosen by the configuration:
 * - embedded (no `DATABASE_URL`): SQLite + blobs in DATA_DIR, one server per DATA_DIR (an OS lock
 *   taken before anything else), the 8 MiB space reserve, and a start-up sweep with no grace
 *   period (no other writer can exist under the lock);
 * - PostgreSQL (`DATABASE_URL=postgres://…`): metadata shared by any number of instances, no
 *   lock, and a sweep that spares anything younger than an hour, since other instances may be
 *   writing;
 * - and, independently, the bytes: under DATA_DIR/blobs, or in an S3 bucket (`S3_BUCKET`) shared
 *   by every instance, checked at start-up (bucket exists, credentials accepted) so a wrong
 *   setting is one line and exit 1, not a 500 on the first upload. With S3 the sweep always keeps
 *   a grace period: the bucket may be shared by instances this lock knows nothing of.
 */
import { mkdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { Logger } from "pino";
import type { ServerConfig } from "../config.js";
import type { SqlClient } from "../http/postgresRateLimitStore.js";
import { DataDirLockedError, lockDataDir } from "./dataDirLock.js";
import { SpaceReserve } from "./disk/SpaceReserve.js";
import { BLOBS_DIR, DEFAULT_SWEEP_GRACE_MS, DiskBlobStore, openEmbeddedStorage, type BlobStore, type Storage, type SweepResult } from "./index.js";

export { DataDirLockedError };

/** A storage set-up failure whose message already says what to do (printed as one line). */
export class StorageStartError extends Error {}

/** Storage opened for a server process. */
export interface OpenedStorage {
  storage: Storage;
  /** Which metadata backend runs. */
  mode: "embedded" | "postgres";
  /** SQL on the metadata database for state shared by instances (PostgreSQL only). */
  sql?: SqlClient;
  /** Removes crash leftovers, as safely as the mode allows. */
  sweep(): Promise<SweepResult>;
  /** Closes the metadata store and releases the lock. */
  close(): Promise<void>;
}

async function ensureDir(dataDir: string): Promise<void> {
  await mkdir(dataDir, { recursive: true }).catch((err: unknown) => {
    const code = (err as NodeJS.ErrnoException).code ?? String(err);
    throw new StorageStartError(`DATA_DIR ${resolve(dataDir)} cannot be used as a directory (${code}); set DATA_DIR to a directory`);
  });
}

/** The S3 blob store of `config.s3`, once its bucket answered. */
async function openS3Blobs(s3: NonNullable<ServerConfig["s3"]>): Promise<BlobStore & { close(): Promise<void> }> {
  const { createS3Client, S3BlobStore, describeS3Failure } = await import("./s3/index.js");
  const client = createS3Client({ endpoint: s3.endpoint, region: s3.region, forcePathStyle: s3.forcePathStyle });
  const store = new S3BlobStore({ client, bucket: s3.bucket, prefix: s3.prefix, partSize: s3.partSizeBytes });
  try {
    await store.ping();
  } catch (err) {
    client.destroy();
    throw new StorageStartError(describeS3Failure(err, s3.bucket, s3.endpoint));
  }
  return store;
}

/** Opens what `config` names. Throws `StorageStartError`/`DataDirLockedError` (one line each) or a one-line PostgreSQL error. */
export async function openConfiguredStorage(config: ServerConfig, log: Logger): Promise<OpenedStorage> {
  await ensureDir(config.dataDir);
  if (config.databaseUrl) {
    const { openPostgresStorage } = await import("./postgres/index.js");
    const blobs = config.s3 ? await openS3Blobs(config.s3) : new DiskBlobStore(join(resolve(config.dataDir), BLOBS_DIR));
    const metadata = await openPostgresStorage(config.databaseUrl, { poolMax: config.databasePoolMax });
    const storage: Storage = { metadata, blobs };
    // Rate-limit windows need no durability: their own small pool commits without waiting for
    // the WAL flush (synchronous_commit off), which is most of a request's cost on PostgreSQL.
    const { default: pg } = await import("pg");
    const limits = new pg.Pool({
      connectionString: config.databaseUrl,
      max: 4,
      connectionTimeoutMillis: 5_000,
      statement_timeout: 5_000,
      options: "-c synchronous_commit=off",
    });
    limits.on("error", () => undefined);
    return {
      storage,
      mode: "postgres",
      sql: { query: (text, values) => limits.query(text, values) },
      sweep: () => storage.blobs.sweep((key) => metadata.isBlobKeyReferenced(key), { graceMs: DEFAULT_SWEEP_GRACE_MS }),
      close: async () => {
        await limits.end();
        await metadata.close();
        if (blobs instanceof DiskBlobStore) return;
        await blobs.close();
      },
    };
  }
  const lock = await lockDataDir(config.dataDir);
  let s3Blobs: (BlobStore & { close(): Promise<void> }) | undefined;
  try {
    s3Blobs = config.s3 && (await openS3Blobs(config.s3));
  } catch (err) {
    lock.release();
    throw err;
  }
  const reserve = new SpaceReserve(config.dataDir);
  if (!(await reserve.ensure())) log.warn({ dataDir: config.dataDir }, "no room for the 8 MiB space reserve: deletes may fail if the disk fills up");
  const embedded = await openEmbeddedStorage(config.dataDir, {
    onFull: () => {
      const freed = reserve.release();
      log.warn({ freed }, "database write hit a full disk (SQLITE_FULL): released the space reserve and retrying");
      return freed;
    },
  });
  const storage: Storage = s3Blobs ? { metadata: embedded.metadata, blobs: s3Blobs } : embedded;
  return {
    storage,
    mode: "embedded",
    sweep: () => storage.blobs.sweep((key) => storage.metadata.isBlobKeyReferenced(key), { graceMs: s3Blobs ? DEFAULT_SWEEP_GRACE_MS : 0 }),
    close: async () => {
      reserve.close();
      await storage.metadata.close();
      await s3Blobs?.close();
      lock.release();
    },
  };
}

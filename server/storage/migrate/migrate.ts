/**
 * Moving an embedded deployment (SQLite + blobs in DATA_DIR) to PostgreSQL + S3, for
 * `aether migrate`. The source is only read. Order makes every stop safe and every rerun cheap:
 *   1. refuse a target holding another deployment's users or objects, unless `merge`;
 *   2. users (with their counters row), API key hashes, folders parents first — inserted when
 *      their id is missing;
 *   3. each file: skipped when its row exists (it was finished before); else its blob is copied
 *      under the same key (or, when an object is already there from an interrupted run, read
 *      back), its size and SHA-256 checked against the source row, and only then the row inserted
 *      — a row never exists without its verified object;
 *   4. counters recomputed from the rows; bandwidth taken from the source.
 * Several files are copied at once (`concurrency`); memory per copy is the S3 store's part buffers.
 */
import type { S3BlobStore } from "../s3/S3BlobStore.js";
import type { PostgresImporter } from "../postgres/importer.js";
import type { FileRecord } from "../types.js";
import type { EmbeddedSource } from "./embeddedSource.js";

/** What was found and done. */
export interface MigrationSummary {
  users: { total: number; added: number };
  keys: { total: number; added: number };
  folders: { total: number; added: number };
  files: { total: number; added: number; alreadyThere: number };
  /** Bytes sent to the object store in this run. */
  bytesCopied: number;
  /** Blobs whose stored bytes were read back and matched the source's SHA-256. */
  blobsVerified: number;
  elapsedMs: number;
}

/** Callbacks for a progress display. */
export interface MigrationProgress {
  /** Once, before any file: how many files and bytes the source holds. */
  start?(files: number, bytes: number): void;
  /** After each file (copied or skipped), with its size. */
  file?(file: FileRecord, copied: boolean): void;
}

/** Options of {@link migrateEmbedded}. */
export interface MigrateOptions {
  /** Allow a target that already holds other users or objects. */
  merge?: boolean;
  /** Files copied at once (default 4). */
  concurrency?: number;
  progress?: MigrationProgress;
}

/** The target holds data that is not the source's; the message says what and how to proceed. */
export class TargetNotEmptyError extends Error {}

async function refuseForeignData(source: EmbeddedSource, db: PostgresImporter, blobs: S3BlobStore): Promise<void> {
  const users = await db.otherUsers(source.users().map((u) => u.id));
  if (users.length > 0) {
    throw new TargetNotEmptyError(`the target database already holds other users (${users.join(", ")}${users.length === 5 ? ", …" : ""}); use an empty database, or pass --merge to add this data dir's users to them`);
  }
  const keys = new Set<string>();
  for (const file of source.files()) keys.add(file.blobKey);
  const foreign = await blobs.firstForeignKey((key) => keys.has(key));
  if (foreign) {
    throw new TargetNotEmptyError(`the target bucket already holds objects of another deployment under ${blobs.blobPrefix} (e.g. ${foreign}); use another bucket or S3 prefix, or pass --merge`);
  }
}

/** Copies one file's blob (unless already stored and verified) and inserts its row. */
async function copyFile(file: FileRecord, source: EmbeddedSource, db: PostgresImporter, blobs: S3BlobStore, summary: MigrationSummary): Promise<boolean> {
  if (await db.hasFile(file.id)) return false;
  const expected = { size: file.size, sha256: file.sha256 };
  const existing = await blobs.importedDigest(file.blobKey);
  let verified = false;
  if (existing && existing.size === file.size && existing.sha256 === file.sha256) {
    // Left by an interrupted run, maybe before its check: read it back.
    const stored = await blobs.digestOf(file.blobKey);
    verified = stored.size === file.size && stored.sha256 === file.sha256;
  }
  if (!verified) {
    await blobs.importBlob(file.blobKey, await source.blobs.createReadStream(file.blobKey), expected);
    summary.bytesCopied += file.size;
  }
  summary.blobsVerified++;
  await db.file(file);
  return true;
}

/** Runs the migration; see the file comment. */
export async function migrateEmbedded(source: EmbeddedSource, db: PostgresImporter, blobs: S3BlobStore, options: MigrateOptions = {}): Promise<MigrationSummary> {
  const started = Date.now();
  if (!options.merge) await refuseForeignData(source, db, blobs);
  const users = source.users();
  const keys = source.apiKeys();
  const folders = source.folders();
  const totals = source.fileTotals();
  const summary: MigrationSummary = {
    users: { total: users.length, added: 0 },
    keys: { total: keys.length, added: 0 },
    folders: { total: folders.length, added: 0 },
    files: { total: totals.count, added: 0, alreadyThere: 0 },
    bytesCopied: 0,
    blobsVerified: 0,
    elapsedMs: 0,
  };
  for (const user of users) if (await db.user(user)) summary.users.added++;
  for (const key of keys) if (await db.apiKey(key)) summary.keys.added++;
  for (const folder of folders) if (await db.folder(folder)) summary.folders.added++;

  options.progress?.start?.(totals.count, totals.bytes);
  const files = source.files();
  const worker = async (): Promise<void> => {
    for (let next = files.next(); !next.done; next = files.next()) {
      const file = next.value;
      const copied = await copyFile(file, source, db, blobs, summary);
      if (copied) summary.files.added++;
      else summary.files.alreadyThere++;
      options.progress?.file?.(file, copied);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 4) }, worker));

  await db.recount(users.map((u) => u.id), source.bandwidth());
  summary.elapsedMs = Date.now() - started;
  return summary;
}

/**
 * DiskBlobStore — the embedded `BlobStore`: one file per blob on the local disk.
 *
 * Layout under the root (created if missing):
 *   tmp/<key>.part        uploads in progress; anything here after a crash is garbage
 *   blobs/ab/cd/<key>     finished blobs, sharded by the first 4 key characters so no directory
 *                         grows past a few thousand entries
 * `tmp/` sits under the same root as `blobs/` so the final rename stays on one filesystem, where
 * it is atomic: a blob path either does not exist or holds the complete content.
 *
 * Out of space (ENOSPC, a quota) while writing: the temp file is removed and `StorageFullError`
 * is thrown. `freeBytes` reports the volume's available space (statfs).
 *
 * Write path: a server-generated key; the source is consumed with `for await`, one chunk at a
 * time (each chunk is hashed, counted and written before the next is read, which is the
 * backpressure; nothing is buffered). Passing `maxBytes` throws `PayloadTooLargeError` at once,
 * which ends the iteration and so destroys a Node stream source: no further bytes are read.
 * Then fsync(file) → rename → fsync(dir) (and the parent dirs when a shard dir was just created),
 * and only then does `write` resolve. Any failure removes the temp file (or the renamed blob,
 * if a directory fsync failed after the rename) and rethrows the original error.
 *
 * Path guard: every key goes through `assertBlobKey` (a strict `[A-Za-z0-9_-]{10,64}` pattern)
 * before a path is built, and the resolved path is checked to be inside `blobs/`; a bad key is an
 * `InvalidInputError`, never a filesystem access.
 *
 * Sweep: removes `tmp/` leftovers and blobs nobody references, both only once they are older
 * than a grace period (default 1 h) so a sweep at server start-up cannot delete an upload that the
 * CLI, sharing the same data dir, is writing or has written but not yet recorded. Files in
 * `blobs/` whose names are not valid keys are not ours and are left alone.
 */
import { createHash } from "node:crypto";
import { constants as fsConstants } from "node:fs";
import { access, mkdir, open, readdir, rename, rm, stat, statfs } from "node:fs/promises";
import { dirname, join, resolve, sep } from "node:path";
import type { Readable } from "node:stream";
import { assertBlobKey, BLOB_KEY_PATTERN, newBlobKey } from "../blobKey.js";
import { InvalidInputError, NotFoundError, PayloadTooLargeError, StorageFullError, isOutOfSpace } from "../errors.js";
import type {
  BlobSource,
  BlobStore,
  BlobWriteOptions,
  BlobWriteResult,
  ByteRange,
  SweepOptions,
  SweepResult,
} from "../types.js";
import { assertByteRange } from "../validation.js";
import { fsyncDir, isErrnoCode } from "./posix.js";

/** Default `graceMs` of `sweep`. */
export const DEFAULT_SWEEP_GRACE_MS = 60 * 60 * 1000;
const TEMP_SUFFIX = ".part";

/** `BlobStore` keeping each blob as a file under a root directory. */
export class DiskBlobStore implements BlobStore {
  /** Absolute root directory. */
  readonly root: string;
  /** Where uploads in progress are written (`<root>/tmp`). */
  readonly tmpDir: string;
  /** Where finished blobs live (`<root>/blobs`). */
  readonly blobsDir: string;
  #ready: Promise<void> | undefined;

  /** Uses (and lazily creates) `root`; nothing touches the disk until the first call. */
  constructor(root: string) {
    this.root = resolve(root);
    this.tmpDir = join(this.root, "tmp");
    this.blobsDir = join(this.root, "blobs");
  }

  #ensureDirs(): Promise<void> {
    this.#ready ??= (async () => {
      await mkdir(this.tmpDir, { recursive: true });
      await mkdir(this.blobsDir, { recursive: true });
    })();
    return this.#ready;
  }

  /** The guarded path of `key`: throws `InvalidInputError` for a bad key or an escaping path. */
  #pathOf(key: string): string {
    assertBlobKey(key);
    const path = resolve(this.blobsDir, key.slice(0, 2), key.slice(2, 4), key);
    if (!path.startsWith(this.blobsDir + sep)) {
      throw new InvalidInputError("key", "The blob key is not valid.");
    }
    return path;
  }

  async write(
    source: BlobSource,
    options: BlobWriteOptions,
  ): Promise<BlobWriteResult> {
    const { maxBytes } = options;
    if (!(maxBytes >= 0)) throw new InvalidInputError("maxBytes", "The size limit must be zero or more bytes.");
    await this.#ensureDirs();
    const key = newBlobKey();
    const finalPath = this.#pathOf(key);
    const tempPath = join(this.tmpDir, key + TEMP_SUFFIX);
    const handle = await open(tempPath, fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_EXCL, 0o644);
    let closed = false;
    let renamed = false;
    try {
      const hash = createHash("sha256");
      let size = 0;
      for await (const chunk of source) {
        const bytes = typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk;
        size += bytes.byteLength;
        if (size > maxBytes) throw new PayloadTooLargeError(maxBytes);
        hash.update(bytes);
        let written = 0;
        while (written < bytes.byteLength) {
          const result = await handle.write(bytes, written, bytes.byteLength - written);
          written += result.bytesWritten;
        }
      }
      await handle.sync();
      closed = true;
      await handle.close();
      const shardDir = dirname(finalPath);
      const firstCreated = await mkdir(shardDir, { recursive: true });
      await rename(tempPath, finalPath);
      renamed = true;
      await fsyncDir(shardDir);
      if (firstCreated !== undefined) {
        // New shard dirs: make their own entries durable too, up to blobs/.
        for (let dir = dirname(shardDir); dir.startsWith(this.blobsDir); dir = dirname(dir)) {
          await fsyncDir(dir);
        }
      }
      return { key, size, sha256: hash.digest("hex") };
    } catch (error) {
      if (!closed) await handle.close().catch(() => undefined);
      await rm(renamed ? finalPath : tempPath, { force: true }).catch(() => undefined);
      if (isOutOfSpace(error)) throw new StorageFullError();
      throw error;
    }
  }

  async freeBytes(): Promise<number> {
    await this.#ensureDirs();
    const info = await statfs(this.root);
    return info.bavail * info.bsize;
  }

  async ping(): Promise<void> {
    await this.#ensureDirs();
    await access(this.blobsDir, fsConstants.W_OK);
  }

  async stat(key: string): Promise<{ size: number } | undefined> {
    const path = this.#pathOf(key);
    try {
      const info = await stat(path);
      return info.isFile() ? { size: info.size } : undefined;
    } catch (error) {
      if (isErrnoCode(error, "ENOENT")) return undefined;
      throw error;
    }
  }

  localPath(key: string): string {
    return this.#pathOf(key);
  }

  async createReadStream(key: string, range: ByteRange = {}): Promise<Readable> {
    const path = this.#pathOf(key);
    assertByteRange(range);
    const { start, end } = range;
    try {
      const handle = await open(path, "r");
      return handle.createReadStream({ start, end, autoClose: true });
    } catch (error) {
      if (isErrnoCode(error, "ENOENT")) throw new NotFoundError("blob");
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await rm(this.#pathOf(key), { force: true });
  }

  async sweep(
    isReferenced: (key: string) => boolean | Promise<boolean>,
    options: SweepOptions = {},
  ): Promise<SweepResult> {
    await this.#ensureDirs();
    const cutoff = Date.now() - (options.graceMs ?? DEFAULT_SWEEP_GRACE_MS);
    const isOld = async (path: string): Promise<boolean> => {
      try {
        return (await stat(path)).mtimeMs <= cutoff;
      } catch (error) {
        if (isErrnoCode(error, "ENOENT")) return false; // removed meanwhile
        throw error;
      }
    };

    let removedTemp = 0;
    for (const entry of await readdir(this.tmpDir, { withFileTypes: true })) {
      const path = join(this.tmpDir, entry.name);
      if (entry.isFile() && (await isOld(path))) {
        await rm(path, { force: true });
        removedTemp++;
      }
    }

    let removedOrphans = 0;
    for (const level1 of await subdirs(this.blobsDir)) {
      for (const level2 of await subdirs(level1)) {
        for (const entry of await readdir(level2, { withFileTypes: true })) {
          const key = entry.name;
          if (!entry.isFile() || !BLOB_KEY_PATTERN.test(key)) continue;
          const path = join(level2, key);
          if (path !== this.#pathOf(key)) continue; // sits in the wrong shard: not ours
          if ((await isOld(path)) && !(await isReferenced(key))) {
            await rm(path, { force: true });
            removedOrphans++;
          }
        }
      }
    }
    return { removedTemp, removedOrphans };
  }
}

async function subdirs(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  return entries.filter((entry) => entry.isDirectory()).map((entry) => join(dir, entry.name));
}

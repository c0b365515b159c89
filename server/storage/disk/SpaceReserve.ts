/**
 * SpaceReserve — a ballast file that keeps room for the database on a full disk.
 *
 * When something fills the data volume to the last byte, SQLite cannot append to its WAL and
 * every write fails, deletes included, so users could not free space through the API (and it
 * survived a restart). The embedded store keeps `<dataDir>/space.reserve` (8 MiB of written
 * zeros, so the blocks are really allocated); on SQLITE_FULL it deletes the file and retries the
 * write once. Deleted files then free their blobs, and `ensure()` recreates the ballast when the
 * volume has room again (checked at start and at most once a minute after a release).
 */
import { rm, stat, statfs, writeFile } from "node:fs/promises";
import { rmSync } from "node:fs";
import { join } from "node:path";

/** File name of the ballast inside the data dir. */
export const RESERVE_FILE = "space.reserve";
/** Size of the ballast. */
export const RESERVE_BYTES = 8 * 1024 * 1024;
const RECHECK_MS = 60_000;

/** The ballast of one data dir. */
export class SpaceReserve {
  readonly path: string;
  #timer: NodeJS.Timeout | undefined;

  constructor(dataDir: string) {
    this.path = join(dataDir, RESERVE_FILE);
  }

  /** Creates the ballast when missing and the volume has room for it and as much again. */
  async ensure(): Promise<boolean> {
    try {
      const info = await statfs(join(this.path, ".."));
      const free = info.bavail * info.bsize;
      const { size } = await stat(this.path).catch(() => ({ size: -1 }));
      if (size === RESERVE_BYTES) return true;
      if (free < 2 * RESERVE_BYTES) return false;
      await writeFile(this.path, Buffer.alloc(RESERVE_BYTES), { flush: true });
      return true;
    } catch {
      await rm(this.path, { force: true }).catch(() => undefined);
      return false;
    }
  }

  /** Deletes the ballast now (synchronously: it runs inside a failed SQLite write). True if it freed space. */
  release(): boolean {
    try {
      rmSync(this.path);
    } catch {
      return false;
    }
    this.#timer ??= setInterval(() => {
      void this.ensure().then((ok) => {
        if (ok && this.#timer) {
          clearInterval(this.#timer);
          this.#timer = undefined;
        }
      });
    }, RECHECK_MS).unref();
    return true;
  }

  /** Stops the recheck timer. */
  close(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }
}

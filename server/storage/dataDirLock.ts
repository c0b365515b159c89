/**
 * One server per data dir. `lockDataDir` takes an operating-system lock on
 * `<dataDir>/server.lock` (a SQLite file held in EXCLUSIVE locking mode: an fcntl lock that the
 * kernel releases when the process dies, so a crash never leaves a stale lock) and writes the
 * holder's pid to `<dataDir>/server.pid`. The start-up sweep (which deletes temp files with no
 * grace period) may only run under this lock. The `npm run keys` command does not take it: it only
 * touches the database, which SQLite arbitrates.
 */
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import Database from "better-sqlite3";

/** File holding the lock, inside the data dir. */
export const LOCK_FILE = "server.lock";
/** File naming the holder's pid, inside the data dir. */
export const PID_FILE = "server.pid";

/** Another live process holds the data dir. */
export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holderPid: number | undefined,
  ) {
    super(
      `${dataDir} is in use by another server${holderPid ? ` (pid ${holderPid})` : ""}; stop it, or give this one another DATA_DIR`,
    );
    this.name = "DataDirLockedError";
  }
}

/** A held lock; `release()` (or the process ending) frees it. */
export interface DataDirLock {
  release(): void;
}

/** Takes the data dir's lock or throws {@link DataDirLockedError}. `dataDir` must exist. */
export async function lockDataDir(dataDir: string): Promise<DataDirLock> {
  const db = new Database(join(dataDir, LOCK_FILE), { timeout: 0 });
  try {
    db.pragma("locking_mode = EXCLUSIVE");
    db.pragma("journal_mode = MEMORY");
    db.exec("BEGIN EXCLUSIVE; CREATE TABLE IF NOT EXISTS holder (pid INTEGER); DELETE FROM holder; COMMIT");
    db.prepare("INSERT INTO holder (pid) VALUES (?)").run(process.pid);
  } catch (err) {
    db.close();
    if ((err as { code?: string }).code?.startsWith("SQLITE_BUSY")) {
      const pid = Number((await readFile(join(dataDir, PID_FILE), "utf8").catch(() => "")).trim());
      throw new DataDirLockedError(dataDir, Number.isSafeInteger(pid) && pid > 0 ? pid : undefined);
    }
    throw err;
  }
  await writeFile(join(dataDir, PID_FILE), `${process.pid}\n`);
  return { release: () => db.close() };
}

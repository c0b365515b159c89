/**
 * Read-only view of an embedded DATA_DIR (SQLite + blobs on disk) for `aether migrate`. The
 * database is opened with SQLite's read-only flag, so nothing in the source can change, and the
 * server may keep running on it (a second migration run copies what was added meanwhile). A
 * reader of a WAL database still creates the `-wal`/`-shm` coordination files when they are
 * missing (no server running); `close` removes them again, so the dir is left as it was found.
 * Rows come back as the storage layer's records, through the SQLite store's own row mappers.
 */
import { existsSync, statSync, unlinkSync } from "node:fs";
import { access } from "node:fs/promises";
import { join, resolve } from "node:path";
import Database from "better-sqlite3";
import { BLOBS_DIR, DATABASE_FILE, MissingDatabaseError } from "../index.js";
import { DiskBlobStore } from "../disk/DiskBlobStore.js";
import { MIGRATIONS } from "../sqlite/schema.js";
import { toApiKey, toFile, toFolder, toUser, type ApiKeyRow, type FileRow, type FolderRow, type UserRow } from "../sqlite/rows.js";
import type { ApiKeyRecord, FileRecord, FolderRecord, User } from "../types.js";

/** What an embedded data dir holds, read without writing. */
export class EmbeddedSource {
  readonly dataDir: string;
  readonly blobs: DiskBlobStore;
  readonly #db: Database.Database;
  /** `-wal`/`-shm` files this reader created (none existed when it opened). */
  readonly #created: string[];

  private constructor(dataDir: string, db: Database.Database, created: string[]) {
    this.dataDir = dataDir;
    this.#db = db;
    this.#created = created;
    this.blobs = new DiskBlobStore(join(dataDir, BLOBS_DIR));
  }

  /** Opens `dataDir` read-only; `MissingDatabaseError` when it holds no database. */
  static async open(dataDir: string): Promise<EmbeddedSource> {
    const root = resolve(dataDir);
    const file = join(root, DATABASE_FILE);
    await access(file).catch(() => {
      throw new MissingDatabaseError(root);
    });
    const sidecars = [`${file}-wal`, `${file}-shm`];
    const created = sidecars.every((path) => !existsSync(path)) ? sidecars : [];
    const db = new Database(file, { readonly: true, fileMustExist: true });
    const version = db.pragma("user_version", { simple: true }) as number;
    if (version !== MIGRATIONS.length) {
      db.close();
      throw new Error(`the database in ${root} has schema version ${version}; start this version of the server on it once (it migrates to ${MIGRATIONS.length}), then migrate`);
    }
    return new EmbeddedSource(root, db, created);
  }

  users(): User[] {
    return this.#db.prepare<[], UserRow>("SELECT * FROM users ORDER BY created_at, id").all().map(toUser);
  }

  /** Bandwidth served so far per user id (the only counter not derived from rows). */
  bandwidth(): Map<string, number> {
    const rows = this.#db.prepare<[], { user_id: string; bandwidth_bytes: number }>("SELECT user_id, bandwidth_bytes FROM user_stats").all();
    return new Map(rows.map((r) => [r.user_id, r.bandwidth_bytes]));
  }

  apiKeys(): ApiKeyRecord[] {
    return this.#db.prepare<[], ApiKeyRow>("SELECT * FROM api_keys ORDER BY created_at, id").all().map(toApiKey);
  }

  /** Every folder, each after its parent. */
  folders(): FolderRecord[] {
    const rows = this.#db
      .prepare<[], FolderRow>(
        `WITH RECURSIVE tree(id, depth) AS (
           SELECT id, 0 FROM folders WHERE parent_id IS NULL
           UNION ALL SELECT f.id, tree.depth + 1 FROM folders f JOIN tree ON f.parent_id = tree.id)
         SELECT folders.* FROM folders JOIN tree USING (id) ORDER BY tree.depth, folders.id`,
      )
      .all();
    return rows.map(toFolder);
  }

  /** Number of files and their total size. */
  fileTotals(): { count: number; bytes: number } {
    const row = this.#db.prepare<[], { count: number; bytes: number | null }>("SELECT count(*) AS count, sum(size) AS bytes FROM files").get();
    return { count: row?.count ?? 0, bytes: row?.bytes ?? 0 };
  }

  /** Every file, oldest first, read lazily. */
  *files(): Generator<FileRecord> {
    for (const row of this.#db.prepare<[], FileRow>("SELECT * FROM files ORDER BY created_at, id").iterate()) yield toFile(row);
  }

  close(): void {
    this.#db.close();
    const [wal] = this.#created;
    if (wal && existsSync(wal) && statSync(wal).size === 0) for (const path of this.#created) unlinkSync(path);
  }
}

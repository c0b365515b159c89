/**
 * Schema migrations of the SQLite metadata store, versioned with `PRAGMA user_version`.
 *
 * `MIGRATIONS[i]` moves the database from version `i` to `i + 1`. Never edit a shipped entry:
 * append a new one. Each runs in an IMMEDIATE transaction that re-reads `user_version` first, so
 * two processes opening a fresh file at once (CLI + server) do not both apply it.
 *
 * Tables are STRICT (types enforced). Folder ownership is also enforced by the database: files
 * and sub-folders reference `folders(id, user_id)` as a pair, so a row can never point at another
 * user's folder even if application code forgets a check.
 */
import type Database from "better-sqlite3";

/** Ordered list of migration scripts; index = version they upgrade from. */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE users (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
  ) STRICT;

  CREATE TABLE user_stats (
    user_id         TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    total_files     INTEGER NOT NULL DEFAULT 0 CHECK (total_files >= 0),
    total_size      INTEGER NOT NULL DEFAULT 0 CHECK (total_size >= 0),
    total_folders   INTEGER NOT NULL DEFAULT 0 CHECK (total_folders >= 0),
    bandwidth_bytes INTEGER NOT NULL DEFAULT 0 CHECK (bandwidth_bytes >= 0)
  ) STRICT;

  CREATE TABLE api_keys (
    id           TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    label        TEXT,
    prefix       TEXT NOT NULL,
    hash         TEXT NOT NULL UNIQUE,
    scopes       TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    revoked_at   TEXT,
    last_used_at TEXT
  ) STRICT;
  CREATE INDEX api_keys_by_user ON api_keys (user_id, created_at, id);

  CREATE TABLE folders (
    id         TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users(id),
    name       TEXT NOT NULL,
    parent_id  TEXT,
    created_at TEXT NOT NULL,
    UNIQUE (id, user_id),
    FOREIGN KEY (parent_id, user_id) REFERENCES folders (id, user_id)
  ) STRICT;
  CREATE INDEX folders_by_user_name ON folders (user_id, name, id);
  CREATE INDEX folders_by_parent ON folders (parent_id);

  CREATE TABLE files (
    id          TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users(id),
    folder_id   TEXT,
    name        TEXT NOT NULL,
    size        INTEGER NOT NULL CHECK (size >= 0),
    mime_type   TEXT NOT NULL,
    description TEXT,
    tags        TEXT NOT NULL DEFAULT '[]',
    sha256      TEXT NOT NULL,
    blob_key    TEXT NOT NULL UNIQUE,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    FOREIGN KEY (folder_id, user_id) REFERENCES folders (id, user_id)
  ) STRICT;
  CREATE INDEX files_by_user_newest ON files (user_id, created_at DESC, id DESC);
  CREATE INDEX files_by_user_folder_newest ON files (user_id, folder_id, created_at DESC, id DESC);
  CREATE INDEX files_by_folder ON files (folder_id);
  `,
  // 2: file counts per folder and at the root, kept with the rows, so a listing's total is one
  // indexed row read instead of a COUNT(*) over the folder.
  `
  ALTER TABLE folders ADD COLUMN file_count INTEGER NOT NULL DEFAULT 0 CHECK (file_count >= 0);
  ALTER TABLE user_stats ADD COLUMN root_files INTEGER NOT NULL DEFAULT 0 CHECK (root_files >= 0);
  UPDATE folders SET file_count = (SELECT COUNT(*) FROM files WHERE files.folder_id = folders.id AND files.user_id = folders.user_id);
  UPDATE user_stats SET root_files = (SELECT COUNT(*) FROM files WHERE files.user_id = user_stats.user_id AND files.folder_id IS NULL);
  `,
];

/** Brings `db` up to the latest schema version; refuses a database newer than this code. */
export function migrate(db: Database.Database): void {
  const version = (): number => db.pragma("user_version", { simple: true }) as number;
  if (version() > MIGRATIONS.length) {
    throw new Error(
      `The metadata database has schema version ${version()}, newer than this program supports (${MIGRATIONS.length}).`,
    );
  }
  for (let target = 1; target <= MIGRATIONS.length; target++) {
    const step = db.transaction(() => {
      if (version() >= target) return; // another process got there first
      db.exec(MIGRATIONS[target - 1] ?? "");
      db.pragma(`user_version = ${target}`);
    });
    step.immediate();
  }
}

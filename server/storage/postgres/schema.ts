/**
 * Schema migrations of the PostgreSQL metadata store, versioned in a `schema_version` table (one
 * row per applied step).
 *
 * `MIGRATIONS[i]` moves the database from version `i` to `i + 1`. Never edit a shipped entry:
 * append a new one. `migrate` holds a session-level `pg_advisory_lock` for the whole run and
 * applies each step in its own transaction together with its `schema_version` row, so any number
 * of processes opening the same (possibly empty) database at once apply each step exactly once:
 * the first takes the lock and migrates, the others wait, re-read the version and find nothing
 * to do. Advisory locks are per database, so databases of one cluster do not wait for each other.
 *
 * What the database itself guarantees, whatever the application code does:
 * - tenant ownership: files and sub-folders reference `folders(id, user_id)` as a pair, so a row
 *   can never point at another user's folder;
 * - counters never go negative (a CHECK on each), blob keys, key hashes and user names are
 *   unique, file and folder names are in Unicode NFC;
 * - ids, names, hashes and keys are `COLLATE "C"`: ordering and equality are bytewise (code point
 *   order, as in SQLite) whatever the database's default locale, so listings page identically on
 *   both backends. Timestamps are `timestamptz(3)`, the interface's millisecond precision.
 * Constraint names are spelled out: `PostgresMetadataStore` maps violations to domain errors by name.
 */
import type { ClientBase } from "pg";

/** Key of the advisory lock held while migrating (any constant unique to this program). */
export const MIGRATION_LOCK_KEY = 0x61657468_6d657461n; // "aethmeta"

/** Ordered list of migration scripts; index = version they upgrade from. */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE users (
    id         text COLLATE "C" PRIMARY KEY,
    name       text COLLATE "C" NOT NULL CONSTRAINT users_name_key UNIQUE,
    created_at timestamptz(3) NOT NULL
  );

  CREATE TABLE user_stats (
    user_id         text COLLATE "C" PRIMARY KEY CONSTRAINT user_stats_user_fkey REFERENCES users (id) ON DELETE CASCADE,
    total_files     bigint NOT NULL DEFAULT 0 CHECK (total_files >= 0),
    total_size      bigint NOT NULL DEFAULT 0 CHECK (total_size >= 0),
    total_folders   bigint NOT NULL DEFAULT 0 CHECK (total_folders >= 0),
    bandwidth_bytes bigint NOT NULL DEFAULT 0 CHECK (bandwidth_bytes >= 0),
    root_files      bigint NOT NULL DEFAULT 0 CHECK (root_files >= 0)
  );

  CREATE TABLE api_keys (
    id           text COLLATE "C" PRIMARY KEY,
    user_id      text COLLATE "C" NOT NULL CONSTRAINT api_keys_user_fkey REFERENCES users (id) ON DELETE CASCADE,
    label        text,
    prefix       text NOT NULL,
    hash         text COLLATE "C" NOT NULL CONSTRAINT api_keys_hash_key UNIQUE,
    scopes       text[] NOT NULL,
    created_at   timestamptz(3) NOT NULL,
    revoked_at   timestamptz(3),
    last_used_at timestamptz(3)
  );
  CREATE INDEX api_keys_by_user ON api_keys (user_id, created_at, id);

  CREATE TABLE folders (
    id         text COLLATE "C" PRIMARY KEY,
    user_id    text COLLATE "C" NOT NULL CONSTRAINT folders_user_fkey REFERENCES users (id),
    name       text COLLATE "C" NOT NULL CONSTRAINT folders_name_nfc CHECK (name IS NFC NORMALIZED),
    parent_id  text COLLATE "C",
    file_count bigint NOT NULL DEFAULT 0 CHECK (file_count >= 0),
    created_at timestamptz(3) NOT NULL,
    CONSTRAINT folders_id_user_key UNIQUE (id, user_id),
    CONSTRAINT folders_parent_fkey FOREIGN KEY (parent_id, user_id) REFERENCES folders (id, user_id)
  );
  CREATE INDEX folders_by_user_name ON folders (user_id, name, id);
  CREATE INDEX folders_by_parent ON folders (user_id, parent_id);

  CREATE TABLE files (
    id          text COLLATE "C" PRIMARY KEY,
    user_id     text COLLATE "C" NOT NULL CONSTRAINT files_user_fkey REFERENCES users (id),
    folder_id   text COLLATE "C",
    name        text NOT NULL CONSTRAINT files_name_nfc CHECK (name IS NFC NORMALIZED),
    size        bigint NOT NULL CHECK (size >= 0),
    mime_type   text NOT NULL,
    description text,
    tags        text[] NOT NULL DEFAULT '{}',
    sha256      text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    blob_key    text COLLATE "C" NOT NULL CONSTRAINT files_blob_key_key UNIQUE,
    created_at  timestamptz(3) NOT NULL,
    updated_at  timestamptz(3) NOT NULL,
    CONSTRAINT files_folder_fkey FOREIGN KEY (folder_id, user_id) REFERENCES folders (id, user_id)
  );
  -- Newest-first pages, scanned backwards, for all files, one folder and the root. The root needs
  -- its own partial index: "folder_id IS NULL" is not an equality, so the planner cannot read the
  -- folder index in created_at order for it. The folder index also serves the folder foreign key.
  CREATE INDEX files_by_user_newest ON files (user_id, created_at, id);
  CREATE INDEX files_by_user_folder_newest ON files (user_id, folder_id, created_at, id);
  CREATE INDEX files_at_root_newest ON files (user_id, created_at, id) WHERE folder_id IS NULL;
  `,
  // 2: shared rate-limit windows (server/http/postgresRateLimitStore.ts): one row per key or
  // client address, updated by one atomic upsert per request from any instance.
  `
  CREATE TABLE rate_limit_hits (
    key      text COLLATE "C" PRIMARY KEY,
    hits     integer NOT NULL CHECK (hits >= 0),
    reset_at timestamptz NOT NULL
  );
  CREATE INDEX rate_limit_hits_by_reset ON rate_limit_hits (reset_at);
  `,
];

const CREATE_VERSION_TABLE = `
  CREATE TABLE IF NOT EXISTS schema_version (
    version    integer PRIMARY KEY,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`;

/** The database's schema version: the highest applied step, 0 for an empty database. */
export async function schemaVersion(client: ClientBase): Promise<number> {
  const { rows } = await client.query<{ version: number | null }>("SELECT max(version) AS version FROM schema_version");
  return rows[0]?.version ?? 0;
}

/**
 * Brings the database up to `migrations.length` (see the file comment); refuses a database newer
 * than this code. Runs on a dedicated connection without a statement timeout (a step may take long).
 */
export async function migrate(client: ClientBase, migrations: readonly string[] = MIGRATIONS): Promise<void> {
  await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_KEY.toString()]);
  try {
    await client.query(CREATE_VERSION_TABLE);
    const current = await schemaVersion(client);
    if (current > migrations.length) {
      throw new Error(
        `The metadata database has schema version ${current}, newer than this program supports (${migrations.length}).`,
      );
    }
    for (let target = current + 1; target <= migrations.length; target++) {
      await client.query("BEGIN");
      try {
        await client.query(migrations[target - 1] ?? "");
        await client.query("INSERT INTO schema_version (version) VALUES ($1)", [target]);
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK").catch(() => undefined);
        throw error;
      }
    }
  } finally {
    // If the connection is gone, the server has released the lock with the session.
    await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY.toString()]).catch(() => undefined);
  }
}

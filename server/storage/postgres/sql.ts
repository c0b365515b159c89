/**
 * Every SQL statement of the PostgreSQL metadata store. Kept apart from the store so the store
 * reads as logic (checks, transactions, lock order) and this file as SQL. Parameters are
 * positional (`$1`…); each constant's comment lists them. List queries match the indexes of
 * `schema.ts` (tests/storage/postgres.test.ts checks the plans).
 */

const FILE_COLUMNS =
  "id, user_id, folder_id, name, size, mime_type, description, tags, sha256, blob_key, created_at, updated_at";
const KEY_COLUMNS = "id, user_id, label, prefix, hash, scopes, created_at, revoked_at, last_used_at";
const FOLDER_COLUMNS = "id, user_id, name, parent_id, created_at";
const STATS_COLUMNS = "total_files, total_size, total_folders, bandwidth_bytes";

/** $1 id, $2 name, $3 created_at. Inserts the user and its zeroed counters in one statement. */
export const INSERT_USER = `
  WITH u AS (INSERT INTO users (id, name, created_at) VALUES ($1, $2, $3) RETURNING id, name, created_at),
       s AS (INSERT INTO user_stats (user_id) SELECT id FROM u)
  SELECT id, name, created_at FROM u`;
/** $1 id. */
export const USER_BY_ID = "SELECT id, name, created_at FROM users WHERE id = $1";
/** $1 name. */
export const USER_BY_NAME = "SELECT id, name, created_at FROM users WHERE name = $1";

/** $1 user. */
export const STATS = `SELECT ${STATS_COLUMNS} FROM user_stats WHERE user_id = $1`;
/**
 * $1 user, $2 files delta, $3 size delta, $4 root-files delta. Also the per-user write lock: every
 * transaction that moves counters starts with an UPDATE of the owner's `user_stats` row.
 */
export const COUNT_FILES = `
  UPDATE user_stats SET total_files = total_files + $2, total_size = total_size + $3, root_files = root_files + $4
  WHERE user_id = $1`;
/** $1 user. Takes the per-user write lock without changing anything. */
export const LOCK_USER = "SELECT 1 FROM user_stats WHERE user_id = $1 FOR NO KEY UPDATE";
/** $1 user, $2 folders delta. */
export const COUNT_FOLDERS = "UPDATE user_stats SET total_folders = total_folders + $2 WHERE user_id = $1";
/** $1 user, $2 bytes. */
export const ADD_BANDWIDTH = "UPDATE user_stats SET bandwidth_bytes = bandwidth_bytes + $2 WHERE user_id = $1";
/** $1 folder, $2 user, $3 delta. Touches no row when the folder is not the user's. */
export const COUNT_IN_FOLDER = "UPDATE folders SET file_count = file_count + $3 WHERE id = $1 AND user_id = $2";

/** $1 id, $2 user, $3 label, $4 prefix, $5 hash, $6 scopes, $7 created_at. Inserts nothing for an unknown user. */
export const INSERT_KEY = `
  INSERT INTO api_keys (id, user_id, label, prefix, hash, scopes, created_at)
  SELECT $1::text, id, $3::text, $4::text, $5::text, $6::text[], $7::timestamptz FROM users WHERE id = $2
  RETURNING ${KEY_COLUMNS}`;
/** $1 hash. */
export const KEY_BY_HASH = `SELECT ${KEY_COLUMNS} FROM api_keys WHERE hash = $1`;
/** $1 user. */
export const KEYS_OF_USER = `SELECT ${KEY_COLUMNS} FROM api_keys WHERE user_id = $1 ORDER BY created_at, id`;
/** No parameters. */
export const ALL_KEYS = `SELECT ${KEY_COLUMNS} FROM api_keys ORDER BY created_at, id`;
/** $1 id, $2 owner or null for any, $3 time. Keeps the first `revoked_at` (idempotent). */
export const REVOKE_KEY = `
  UPDATE api_keys SET revoked_at = COALESCE(revoked_at, $3)
  WHERE id = $1 AND ($2::text IS NULL OR user_id = $2)
  RETURNING ${KEY_COLUMNS}`;
/** $1 id, $2 time of use, $3 that time minus the write interval. Writes at most once per interval. */
export const TOUCH_KEY = `
  UPDATE api_keys SET last_used_at = $2
  WHERE id = $1 AND (last_used_at IS NULL OR last_used_at <= $3)`;

/** The 12 file columns, in {@link FILE_COLUMNS} order (see `fileValues` in `rows.ts`). */
export const INSERT_FILE = `
  INSERT INTO files (${FILE_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`;
/** $1 id, $2 user, $3 folder, $4 name, $5 description, $6 tags, $7 updated_at. */
export const UPDATE_FILE = `
  UPDATE files SET folder_id = $3, name = $4, description = $5, tags = $6, updated_at = $7
  WHERE id = $1 AND user_id = $2`;
/** $1 id, $2 user. */
export const FILE = `SELECT ${FILE_COLUMNS} FROM files WHERE id = $1 AND user_id = $2`;
/** $1 id, $2 user. Locks the row until the transaction ends. */
export const FILE_FOR_UPDATE = `${FILE} FOR UPDATE`;
/** $1 id, $2 user. */
export const DELETE_FILE = `DELETE FROM files WHERE id = $1 AND user_id = $2 RETURNING ${FILE_COLUMNS}`;
/** $1 blob key. */
export const BLOB_KEY_USED = "SELECT EXISTS (SELECT 1 FROM files WHERE blob_key = $1) AS used";

/** $1 id, $2 user, $3 name, $4 parent, $5 created_at. */
export const INSERT_FOLDER = `
  INSERT INTO folders (id, user_id, name, parent_id, created_at) VALUES ($1, $2, $3, $4, $5)
  RETURNING ${FOLDER_COLUMNS}`;
/** $1 id, $2 user. */
export const FOLDER = `SELECT ${FOLDER_COLUMNS} FROM folders WHERE id = $1 AND user_id = $2`;
/** $1 user. */
export const FOLDERS_OF_USER = `SELECT ${FOLDER_COLUMNS} FROM folders WHERE user_id = $1 ORDER BY name, id`;
/**
 * $1 id, $2 user. Whether the folder holds files (its counter) or sub-folders, locking its row.
 * No row: not the user's folder.
 */
export const FOLDER_CONTENTS_FOR_UPDATE = `
  SELECT file_count > 0 AS has_files, EXISTS (SELECT 1 FROM folders c WHERE c.user_id = $2 AND c.parent_id = $1) AS has_folders
  FROM folders WHERE id = $1 AND user_id = $2 FOR UPDATE`;
/** $1 id, $2 user. Fails on the foreign keys when files or sub-folders still point at it. */
export const DELETE_FOLDER = `DELETE FROM folders WHERE id = $1 AND user_id = $2 RETURNING ${FOLDER_COLUMNS}`;

/** A query and its values. */
export interface Query {
  text: string;
  values: unknown[];
}

/** What `listFilesQuery` needs: the page request with the limit already bumped by one. */
export interface ListRequest {
  user: string;
  /** Absent: every file; null: the root; a string: that folder. */
  folderId: string | null | undefined;
  /** Rows to read (the page size plus one, to know whether more follow). */
  limit: number;
  offset: number;
  after: { createdAt: string; id: string } | undefined;
}

/**
 * One statement, so one snapshot, for a page and its total: the counter row (`user_stats` or the
 * folder, whose absence means "no such folder") joined laterally with the page, read newest first
 * from `files_by_user_newest`, `files_at_root_newest` or `files_by_user_folder_newest`. Keyset pages compare
 * `(created_at, id)` as a row, which the index serves directly; other pages use OFFSET.
 * The outer ORDER BY only re-sorts the page's own rows.
 */
export function listFilesQuery(request: ListRequest): Query {
  const values: unknown[] = [request.user];
  const param = (value: unknown): string => {
    values.push(value);
    return `$${values.length}`;
  };
  let total: string;
  let filter = "";
  if (request.folderId === undefined) {
    total = "SELECT total_files AS total FROM user_stats WHERE user_id = $1";
  } else if (request.folderId === null) {
    total = "SELECT root_files AS total FROM user_stats WHERE user_id = $1";
    filter = "AND folder_id IS NULL";
  } else {
    const folder = param(request.folderId);
    total = `SELECT file_count AS total FROM folders WHERE id = ${folder} AND user_id = $1`;
    filter = `AND folder_id = ${folder}`;
  }
  const position = request.after
    ? `AND (created_at, id) < (${param(request.after.createdAt)}::timestamptz, ${param(request.after.id)}::text)`
    : "";
  const window = request.after ? `LIMIT ${param(request.limit)}` : `LIMIT ${param(request.limit)} OFFSET ${param(request.offset)}`;
  const text = `
    SELECT t.total, f.* FROM (${total}) t
    LEFT JOIN LATERAL (
      SELECT ${FILE_COLUMNS} FROM files WHERE user_id = $1 ${filter} ${position}
      ORDER BY created_at DESC, id DESC ${window}
    ) f ON true
    ORDER BY f.created_at DESC, f.id DESC`;
  return { text, values };
}

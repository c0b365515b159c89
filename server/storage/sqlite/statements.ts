/**
 * Every SQL statement of the SQLite metadata store, prepared once per connection. Kept apart from
 * the store so the store reads as logic (checks, transactions, counters) and this file as SQL.
 * List queries are written to match the indexes of `schema.ts` (tests check the query plans).
 */
import type Database from "better-sqlite3";
import type { ApiKeyRow, FileRow, FolderRow, StatsRow, UserRow } from "./rows.js";

const FILE_COLUMNS =
  "id, user_id, folder_id, name, size, mime_type, description, tags, sha256, blob_key, created_at, updated_at";
const NEWEST_FIRST = "ORDER BY created_at DESC, id DESC LIMIT @limit OFFSET @offset";
const AFTER = "AND (created_at, id) < (@afterCreatedAt, @afterId) ORDER BY created_at DESC, id DESC LIMIT @limit";

/** Bind parameters of a page query. */
export type Page = { user: string; limit: number; offset: number };
/** Bind parameters of a keyset page query (no offset). */
export type After = { user: string; limit: number; afterCreatedAt: string; afterId: string };
/** Bind parameters of a lookup scoped to one owner. */
export type Owned = { user: string; id: string };

/** Prepares every statement once; the store keeps the result for its lifetime. */
export function prepareStatements(db: Database.Database) {
  return {
    userById: db.prepare<[string], UserRow>("SELECT * FROM users WHERE id = ?"),
    userByName: db.prepare<[string], UserRow>("SELECT * FROM users WHERE name = ?"),
    insertUser: db.prepare<[UserRow]>("INSERT INTO users (id, name, created_at) VALUES (@id, @name, @created_at)"),
    insertStats: db.prepare<[string]>("INSERT INTO user_stats (user_id) VALUES (?)"),
    stats: db.prepare<[string], StatsRow>(
      "SELECT total_files, total_size, total_folders, bandwidth_bytes FROM user_stats WHERE user_id = ?",
    ),
    countFile: db.prepare<[{ user: string; files: number; size: number }]>(
      "UPDATE user_stats SET total_files = total_files + @files, total_size = total_size + @size WHERE user_id = @user",
    ),
    countFolder: db.prepare<[{ user: string; folders: number }]>(
      "UPDATE user_stats SET total_folders = total_folders + @folders WHERE user_id = @user",
    ),
    addBandwidth: db.prepare<[{ user: string; bytes: number }]>(
      "UPDATE user_stats SET bandwidth_bytes = bandwidth_bytes + @bytes WHERE user_id = @user",
    ),

    insertKey: db.prepare<[ApiKeyRow]>(
      `INSERT INTO api_keys (id, user_id, label, prefix, hash, scopes, created_at, revoked_at, last_used_at)
       VALUES (@id, @user_id, @label, @prefix, @hash, @scopes, @created_at, @revoked_at, @last_used_at)`,
    ),
    keyById: db.prepare<[string], ApiKeyRow>("SELECT * FROM api_keys WHERE id = ?"),
    keyByHash: db.prepare<[string], ApiKeyRow>("SELECT * FROM api_keys WHERE hash = ?"),
    keysOfUser: db.prepare<[string], ApiKeyRow>("SELECT * FROM api_keys WHERE user_id = ? ORDER BY created_at, id"),
    allKeys: db.prepare<[], ApiKeyRow>("SELECT * FROM api_keys ORDER BY created_at, id"),
    revokeKey: db.prepare<[{ id: string; at: string }]>(
      "UPDATE api_keys SET revoked_at = @at WHERE id = @id AND revoked_at IS NULL",
    ),
    touchKey: db.prepare<[{ id: string; at: string; before: string }]>(
      "UPDATE api_keys SET last_used_at = @at WHERE id = @id AND (last_used_at IS NULL OR last_used_at <= @before)",
    ),

    insertFile: db.prepare<[FileRow]>(
      `INSERT INTO files (${FILE_COLUMNS}) VALUES (@id, @user_id, @folder_id, @name, @size, @mime_type,
       @description, @tags, @sha256, @blob_key, @created_at, @updated_at)`,
    ),
    updateFile: db.prepare<[FileRow]>(
      `UPDATE files SET folder_id = @folder_id, name = @name, description = @description, tags = @tags,
       updated_at = @updated_at WHERE id = @id AND user_id = @user_id`,
    ),
    file: db.prepare<[Owned], FileRow>(`SELECT ${FILE_COLUMNS} FROM files WHERE id = @id AND user_id = @user`),
    deleteFile: db.prepare<[Owned]>("DELETE FROM files WHERE id = @id AND user_id = @user"),
    blobKeyUsed: db.prepare<[string], { one: number }>("SELECT 1 AS one FROM files WHERE blob_key = ?"),
    filesAll: db.prepare<[Page], FileRow>(`SELECT ${FILE_COLUMNS} FROM files WHERE user_id = @user ${NEWEST_FIRST}`),
    filesAtRoot: db.prepare<[Page], FileRow>(
      `SELECT ${FILE_COLUMNS} FROM files WHERE user_id = @user AND folder_id IS NULL ${NEWEST_FIRST}`,
    ),
    filesIn: db.prepare<[Page & { folder: string }], FileRow>(
      `SELECT ${FILE_COLUMNS} FROM files WHERE user_id = @user AND folder_id = @folder ${NEWEST_FIRST}`,
    ),
    filesAllAfter: db.prepare<[After], FileRow>(`SELECT ${FILE_COLUMNS} FROM files WHERE user_id = @user ${AFTER}`),
    filesAtRootAfter: db.prepare<[After], FileRow>(
      `SELECT ${FILE_COLUMNS} FROM files WHERE user_id = @user AND folder_id IS NULL ${AFTER}`,
    ),
    filesInAfter: db.prepare<[After & { folder: string }], FileRow>(
      `SELECT ${FILE_COLUMNS} FROM files WHERE user_id = @user AND folder_id = @folder ${AFTER}`,
    ),
    rootFiles: db.prepare<[string], { n: number }>("SELECT root_files AS n FROM user_stats WHERE user_id = ?"),
    folderFiles: db.prepare<[Owned], { n: number }>("SELECT file_count AS n FROM folders WHERE id = @id AND user_id = @user"),
    countRootFile: db.prepare<[{ user: string; n: number }]>("UPDATE user_stats SET root_files = root_files + @n WHERE user_id = @user"),
    countFolderFile: db.prepare<[{ user: string; folder: string; n: number }]>(
      "UPDATE folders SET file_count = file_count + @n WHERE id = @folder AND user_id = @user",
    ),

    insertFolder: db.prepare<[FolderRow]>(
      "INSERT INTO folders (id, user_id, name, parent_id, created_at) VALUES (@id, @user_id, @name, @parent_id, @created_at)",
    ),
    folder: db.prepare<[Owned], FolderRow>("SELECT * FROM folders WHERE id = @id AND user_id = @user"),
    foldersOfUser: db.prepare<[string], FolderRow>("SELECT * FROM folders WHERE user_id = ? ORDER BY name, id"),
    folderHasFile: db.prepare<[Owned], { one: number }>(
      "SELECT 1 AS one FROM files WHERE user_id = @user AND folder_id = @id LIMIT 1",
    ),
    folderHasChild: db.prepare<[Owned], { one: number }>(
      "SELECT 1 AS one FROM folders WHERE user_id = @user AND parent_id = @id LIMIT 1",
    ),
    deleteFolder: db.prepare<[Owned]>("DELETE FROM folders WHERE id = @id AND user_id = @user"),
  };
}

/** The prepared statements of one connection. */
export type Statements = ReturnType<typeof prepareStatements>;

/**
 * Row shapes of the PostgreSQL metadata store (column names as in `schema.ts`, values as
 * node-postgres returns them with its default type parsers) and their conversion to the records
 * of `../types.ts`.
 *
 * node-postgres returns `bigint` as a string (it may not fit a JS number) and `timestamptz` as a
 * `Date`; `text[]` arrives as a string array. Counts are turned into numbers only when they are
 * safe integers, timestamps into the interface's ISO-8601 millisecond strings.
 */
import type { ApiKeyRecord, FileRecord, FolderRecord, User, UserStats } from "../types.js";

/** A `bigint` column as node-postgres returns it (a number only if a parser was overridden). */
type BigIntValue = string | number;

/** A `users` row. */
export type UserRow = { id: string; name: string; created_at: Date };

/** A `user_stats` row (without its key and `root_files`). */
export type StatsRow = {
  total_files: BigIntValue;
  total_size: BigIntValue;
  total_folders: BigIntValue;
  bandwidth_bytes: BigIntValue;
};

/** An `api_keys` row. */
export type ApiKeyRow = {
  id: string;
  user_id: string;
  label: string | null;
  prefix: string;
  hash: string;
  scopes: string[];
  created_at: Date;
  revoked_at: Date | null;
  last_used_at: Date | null;
};

/** A `folders` row (without `file_count`). */
export type FolderRow = { id: string; user_id: string; name: string; parent_id: string | null; created_at: Date };

/** A `files` row. */
export type FileRow = {
  id: string;
  user_id: string;
  folder_id: string | null;
  name: string;
  size: BigIntValue;
  mime_type: string;
  description: string | null;
  tags: string[];
  sha256: string;
  blob_key: string;
  created_at: Date;
  updated_at: Date;
};

/** A row of a `listFiles` query: the total, and a file unless the page is empty. */
export type ListRow = { total: BigIntValue } & (FileRow | { [K in keyof FileRow]: null });

/** A `bigint` column → a safe integer, or a loud failure (never a silently rounded count). */
export function toCount(column: string, value: BigIntValue): number {
  const n = typeof value === "number" ? value : Number(value);
  if (!Number.isSafeInteger(n)) throw new Error(`Corrupt metadata: column ${column} is not a safe integer.`);
  return n;
}

function iso(value: Date): string {
  return value.toISOString();
}

function isoOrNull(value: Date | null): string | null {
  return value === null ? null : value.toISOString();
}

/** `users` row → {@link User}. */
export function toUser(row: UserRow): User {
  return { id: row.id, name: row.name, createdAt: iso(row.created_at) };
}

/** `user_stats` row → {@link UserStats}. */
export function toStats(row: StatsRow): UserStats {
  return {
    totalFiles: toCount("user_stats.total_files", row.total_files),
    totalSize: toCount("user_stats.total_size", row.total_size),
    totalFolders: toCount("user_stats.total_folders", row.total_folders),
    bandwidthBytes: toCount("user_stats.bandwidth_bytes", row.bandwidth_bytes),
  };
}

/** `api_keys` row → {@link ApiKeyRecord}. */
export function toApiKey(row: ApiKeyRow): ApiKeyRecord {
  return {
    id: row.id,
    userId: row.user_id,
    label: row.label,
    prefix: row.prefix,
    hash: row.hash,
    scopes: [...row.scopes],
    createdAt: iso(row.created_at),
    revokedAt: isoOrNull(row.revoked_at),
    lastUsedAt: isoOrNull(row.last_used_at),
  };
}

/** `folders` row → {@link FolderRecord}. */
export function toFolder(row: FolderRow): FolderRecord {
  return { id: row.id, userId: row.user_id, name: row.name, parentId: row.parent_id, createdAt: iso(row.created_at) };
}

/** `files` row → {@link FileRecord}. */
export function toFile(row: FileRow): FileRecord {
  return {
    id: row.id,
    userId: row.user_id,
    folderId: row.folder_id,
    name: row.name,
    size: toCount("files.size", row.size),
    mimeType: row.mime_type,
    description: row.description,
    tags: [...row.tags],
    sha256: row.sha256,
    blobKey: row.blob_key,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

/** {@link FileRecord} → the values of `INSERT_FILE` (see `sql.ts`), in column order. */
export function fileValues(file: FileRecord): unknown[] {
  return [
    file.id,
    file.userId,
    file.folderId,
    file.name,
    file.size,
    file.mimeType,
    file.description,
    file.tags,
    file.sha256,
    file.blobKey,
    file.createdAt,
    file.updatedAt,
  ];
}

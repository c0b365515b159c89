/**
 * Row shapes of the SQLite tables (snake_case, as better-sqlite3 returns them) and their mapping
 * to the public records. JSON columns (`tags`, `scopes`) are parsed and checked here, so a
 * corrupt row fails loudly instead of leaking a wrong type to callers.
 */
import type { ApiKeyRecord, FileRecord, FolderRecord, User, UserStats } from "../types.js";

/** A `users` row. */
export interface UserRow {
  /** `users.id` */
  id: string;
  /** `users.name` */
  name: string;
  /** `users.created_at` */
  created_at: string;
}

/** A `user_stats` row (without its key). */
export interface StatsRow {
  /** `user_stats.total_files` */
  total_files: number;
  /** `user_stats.total_size` */
  total_size: number;
  /** `user_stats.total_folders` */
  total_folders: number;
  /** `user_stats.bandwidth_bytes` */
  bandwidth_bytes: number;
}

/** An `api_keys` row. */
export interface ApiKeyRow {
  /** `api_keys.id` */
  id: string;
  /** `api_keys.user_id` */
  user_id: string;
  /** `api_keys.label` */
  label: string | null;
  /** `api_keys.prefix` */
  prefix: string;
  /** `api_keys.hash` */
  hash: string;
  /** `api_keys.scopes`, a JSON array of strings. */
  scopes: string;
  /** `api_keys.created_at` */
  created_at: string;
  /** `api_keys.revoked_at` */
  revoked_at: string | null;
  /** `api_keys.last_used_at` */
  last_used_at: string | null;
}

/** A `folders` row. */
export interface FolderRow {
  /** `folders.id` */
  id: string;
  /** `folders.user_id` */
  user_id: string;
  /** `folders.name` */
  name: string;
  /** `folders.parent_id` */
  parent_id: string | null;
  /** `folders.file_count`: files directly in the folder (absent on insert: defaults to 0). */
  file_count?: number;
  /** `folders.created_at` */
  created_at: string;
}

/** A `files` row. */
export interface FileRow {
  /** `files.id` */
  id: string;
  /** `files.user_id` */
  user_id: string;
  /** `files.folder_id` */
  folder_id: string | null;
  /** `files.name` */
  name: string;
  /** `files.size` */
  size: number;
  /** `files.mime_type` */
  mime_type: string;
  /** `files.description` */
  description: string | null;
  /** `files.tags`, a JSON array of strings. */
  tags: string;
  /** `files.sha256` */
  sha256: string;
  /** `files.blob_key` */
  blob_key: string;
  /** `files.created_at` */
  created_at: string;
  /** `files.updated_at` */
  updated_at: string;
}

function parseStringArray(column: string, text: string): string[] {
  const value: unknown = JSON.parse(text);
  if (!Array.isArray(value) || !value.every((item): item is string => typeof item === "string")) {
    throw new Error(`Corrupt metadata: column ${column} is not a JSON array of strings.`);
  }
  return value;
}

/** `users` row → {@link User}. */
export function toUser(row: UserRow): User {
  return { id: row.id, name: row.name, createdAt: row.created_at };
}

/** `user_stats` row → {@link UserStats}. */
export function toStats(row: StatsRow): UserStats {
  return {
    totalFiles: row.total_files,
    totalSize: row.total_size,
    totalFolders: row.total_folders,
    bandwidthBytes: row.bandwidth_bytes,
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
    scopes: parseStringArray("api_keys.scopes", row.scopes),
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
    lastUsedAt: row.last_used_at,
  };
}

/** `folders` row → {@link FolderRecord}. */
export function toFolder(row: FolderRow): FolderRecord {
  return {
    id: row.id,
    userId: row.user_id,
    name: row.name,
    parentId: row.parent_id,
    createdAt: row.created_at,
  };
}

/** `files` row → {@link FileRecord}. */
export function toFile(row: FileRow): FileRecord {
  return {
    id: row.id,
    userId: row.user_id,
    folderId: row.folder_id,
    name: row.name,
    size: row.size,
    mimeType: row.mime_type,
    description: row.description,
    tags: parseStringArray("files.tags", row.tags),
    sha256: row.sha256,
    blobKey: row.blob_key,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** {@link FileRecord} → `files` row (for inserts and full-row updates). */
export function fromFile(file: FileRecord): FileRow {
  return {
    id: file.id,
    user_id: file.userId,
    folder_id: file.folderId,
    name: file.name,
    size: file.size,
    mime_type: file.mimeType,
    description: file.description,
    tags: JSON.stringify(file.tags),
    sha256: file.sha256,
    blob_key: file.blobKey,
    created_at: file.createdAt,
    updated_at: file.updatedAt,
  };
}

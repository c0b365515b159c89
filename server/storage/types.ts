/**
 * The two storage interfaces (as in @tus/server: a small metadata store and a blob store) and the
 * records they exchange. Every method is async so a networked backend (PostgreSQL, S3) can be
 * added without touching callers. Failures are the domain errors of `./errors.js`; nothing here
 * knows about HTTP.
 *
 * Timestamps are ISO-8601 strings in UTC with milliseconds, e.g. `2026-11-26T09:53:01.123Z`.
 */
import type { Readable } from "node:stream";
import type { IdPrefix } from "./ids.js";

/** An account that owns files, folders and API keys. */
export interface User {
  /** Server-generated id, `usr_…`. */
  id: string;
  /** Unique login-style name. */
  name: string;
  /** When the user was created. */
  createdAt: string;
}

/** A stored API key. The secret itself is never stored, only its SHA-256. */
export interface ApiKeyRecord {
  /** Server-generated id, `key_…`. */
  id: string;
  /** Owner of the key. */
  userId: string;
  /** Free text chosen by the user, or null. */
  label: string | null;
  /** First 8 characters of the secret, for display (e.g. `ak_BQf1J`). */
  prefix: string;
  /** Lower-case hex SHA-256 of the full secret; unique. */
  hash: string;
  /** Granted scopes, e.g. `["files:read"]`. */
  scopes: string[];
  /** When the key was created. */
  createdAt: string;
  /** When the key was revoked, or null while it is active. */
  revokedAt: string | null;
  /** Last time the key authenticated a request (updated at most once a minute), or null. */
  lastUsedAt: string | null;
}

/** Metadata of one uploaded file. The bytes live in the blob store under `blobKey`. */
export interface FileRecord {
  /** Server-generated id, `file_…`. */
  id: string;
  /** Owner. */
  userId: string;
  /** Containing folder, or null at the root. */
  folderId: string | null;
  /** Display name, e.g. `report.pdf`. */
  name: string;
  /** Size in bytes. */
  size: number;
  /** Media type, e.g. `application/pdf`. */
  mimeType: string;
  /** Free text, or null. */
  description: string | null;
  /** User tags, in the order given. */
  tags: string[];
  /** Lower-case hex SHA-256 of the content. */
  sha256: string;
  /** Key of the content in the blob store; unique across files. */
  blobKey: string;
  /** When the file was created. */
  createdAt: string;
  /** When the metadata was last changed. */
  updatedAt: string;
}

/** A folder. Folders nest through `parentId`. */
export interface FolderRecord {
  /** Server-generated id, `fld_…`. */
  id: string;
  /** Owner. */
  userId: string;
  /** Display name. Not unique: two sibling folders may share a name. */
  name: string;
  /** Parent folder, or null at the root. */
  parentId: string | null;
  /** When the folder was created. */
  createdAt: string;
}

/** Per-user counters, maintained transactionally with every change (never computed by a scan). */
export interface UserStats {
  /** Number of files the user owns. */
  totalFiles: number;
  /** Sum of the sizes of those files, in bytes. */
  totalSize: number;
  /** Number of folders the user owns. */
  totalFolders: number;
  /** Bytes served to the user's downloads so far (see `addBandwidth`). */
  bandwidthBytes: number;
}

/** Input of `createApiKey`. The caller makes the secret and hashes it; storage never sees it. */
export interface NewApiKey {
  /** Owner; must exist. */
  userId: string;
  /** Optional free-text label. */
  label?: string | null;
  /** First 8 characters of the secret. */
  prefix: string;
  /** Lower-case hex SHA-256 of the secret (64 chars). */
  hash: string;
  /** Granted scopes. */
  scopes: string[];
}

/**
 * Input of `createFile`. The store generates `id`, `createdAt` and `updatedAt`; the blob fields
 * (`size`, `sha256`, `blobKey`) come straight from `BlobStore.write`'s result.
 */
export interface NewFile {
  /** Owner; must exist. */
  userId: string;
  /** Target folder (must be the same user's), or null/absent for the root. */
  folderId?: string | null;
  /** Display name. */
  name: string;
  /** Size in bytes, as reported by the blob store. */
  size: number;
  /** Media type. */
  mimeType: string;
  /** Optional free text. */
  description?: string | null;
  /** Optional tags (defaults to none). */
  tags?: string[];
  /** Lower-case hex SHA-256 of the content, as reported by the blob store. */
  sha256: string;
  /** Blob key returned by `BlobStore.write`; must not be used by another file. */
  blobKey: string;
}

/** Changes accepted by `updateFile`. An absent field is left unchanged. */
export interface FilePatch {
  /** New display name. */
  name?: string;
  /** New description; null clears it. */
  description?: string | null;
  /** New tags (replaces the whole list). */
  tags?: string[];
  /** Move to this folder (same user's); null moves to the root. */
  folderId?: string | null;
}

/** Options of `listFiles`. */
export interface ListFilesOptions {
  /** Absent: every file of the user. null: root-level files only. A string: files in that folder. */
  folderId?: string | null;
  /** Page size (a non-negative integer; the HTTP layer caps it). */
  limit: number;
  /** Number of matching files to skip (a non-negative integer; must be 0 with `after`). */
  offset: number;
  /**
   * Keyset position: only files strictly after this one in the listing order (`createdAt` DESC,
   * `id` DESC). The file itself need not exist any more. Cost does not grow with the position.
   */
  after?: FileCursor;
}

/** A position in the newest-first listing: the last file of the previous page. */
export interface FileCursor {
  createdAt: string;
  id: string;
}

/** One page of `listFiles`. */
export interface FilePage {
  /** The page, newest first (`createdAt` DESC, then `id` DESC). */
  files: FileRecord[];
  /**
   * Number of files matching the folder filter, ignoring `limit`/`offset`/`after`, read from
   * counters kept in the same transactions as the rows (never a scan).
   */
  total: number;
  /** True when files follow this page (the store reads one row past `limit` to know). */
  hasMore: boolean;
}

/** Input of `createFolder`. */
export interface NewFolder {
  /** Display name. */
  name: string;
  /** Parent folder (must be the same user's), or null/absent for the root. */
  parentId?: string | null;
}

/** Options accepted by metadata store constructors/factories. */
export interface MetadataStoreOptions {
  /** Clock used for every timestamp the store writes; defaults to `() => new Date()`. */
  now?: () => Date;
  /**
   * Called when a write fails for lack of space; returning true (space was freed, e.g. a
   * ballast file deleted) makes the store retry the write once.
   */
  onFull?: () => boolean;
  /**
   * Makes the id of every new user, key, file and folder (SQLite store); defaults to `newId`
   * (random). Whatever it returns must be `<prefix>_` then letters or digits, 64 characters at
   * most, or the write fails with `InvalidInputError`. Seeding uses it to insert records with known ids
   * (the sandbox's records from the spec's examples) through the normal write path.
   */
  newId?: (prefix: IdPrefix) => string;
}

/**
 * Users, API keys, files, folders and counters.
 *
 * Tenant isolation: every file/folder method takes the acting `userId`; an id that belongs to
 * another user behaves exactly like an id that does not exist (`NotFoundError`).
 */
export interface MetadataStore {
  /** Creates a user. `ConflictError("user_name_taken")` if the name is in use. */
  createUser(name: string): Promise<User>;
  /** The user with this id, or undefined. */
  getUser(id: string): Promise<User | undefined>;
  /** The user with this name, or undefined. */
  getUserByName(name: string): Promise<User | undefined>;

  /** Stores a new key. `NotFoundError("user")` if the owner does not exist. */
  createApiKey(input: NewApiKey): Promise<ApiKeyRecord>;
  /** The key with this hash, **including revoked keys** (the caller checks `revokedAt`). */
  findApiKeyByHash(hash: string): Promise<ApiKeyRecord | undefined>;
  /** Keys of one user (or of everyone when `userId` is absent), oldest first. */
  listApiKeys(userId?: string): Promise<ApiKeyRecord[]>;
  /**
   * Revokes a key and returns it. Idempotent: revoking again keeps the first `revokedAt`.
   * `NotFoundError("key")` if unknown, or if `userId` is given and does not own it.
   */
  revokeApiKey(id: string, userId?: string): Promise<ApiKeyRecord>;
  /** Records a use of the key; writes only when the stored value is a minute old or more. */
  touchApiKey(id: string, at: Date): Promise<void>;

  /**
   * Inserts the file row and adds it to the owner's counters in one transaction.
   * `NotFoundError("user")` / `NotFoundError("folder")` for a missing owner or a folder that is
   * not the owner's; `ConflictError("blob_key_in_use")` if another file has the blob key.
   */
  createFile(input: NewFile): Promise<FileRecord>;
  /** The user's file. `NotFoundError("file")` if absent or owned by someone else. */
  getFile(userId: string, id: string): Promise<FileRecord>;
  /** A page of the user's files, newest first, plus the total. */
  listFiles(userId: string, options: ListFilesOptions): Promise<FilePage>;
  /** Applies `patch`, bumps `updatedAt`, returns the new record. Checks folder ownership. */
  updateFile(userId: string, id: string, patch: FilePatch): Promise<FileRecord>;
  /**
   * Deletes the row and takes it off the counters in one transaction; returns the deleted record
   * so the caller can delete its blob afterwards (a crash in between leaves an orphan for `sweep`).
   */
  deleteFile(userId: string, id: string): Promise<FileRecord>;

  /** Creates a folder (parent must be the user's) and counts it. */
  createFolder(userId: string, input: NewFolder): Promise<FolderRecord>;
  /** The user's folder. `NotFoundError("folder")` if absent or owned by someone else. */
  getFolder(userId: string, id: string): Promise<FolderRecord>;
  /** Every folder of the user, ordered by name, then id. */
  listFolders(userId: string): Promise<FolderRecord[]>;
  /**
   * Deletes an empty folder and returns it. `ConflictError("folder_not_empty")` if it holds files
   * or sub-folders.
   */
  deleteFolder(userId: string, id: string): Promise<FolderRecord>;

  /** The user's counters (one indexed row read). `NotFoundError("user")` for an unknown user. */
  getStats(userId: string): Promise<UserStats>;
  /** Adds `bytes` (a non-negative integer) to the user's bandwidth counter. */
  addBandwidth(userId: string, bytes: number): Promise<void>;

  /** True when some file row uses this blob key (an indexed lookup; used by `BlobStore.sweep`). */
  isBlobKeyReferenced(key: string): Promise<boolean>;
  /** Resolves when the store answers a trivial query; rejects when it cannot (closed, unreachable). */
  ping(): Promise<void>;
  /** Releases the connection. The store must not be used afterwards. */
  close(): Promise<void>;
}

/**
 * Bytes to store: a Node stream (an HTTP request, a busboy file stream, `fs.createReadStream`) or
 * any (async) iterable of byte chunks. Consumed once, chunk by chunk.
 */
export type BlobSource = AsyncIterable<Uint8Array> | Iterable<Uint8Array> | NodeJS.ReadableStream;

/** What `BlobStore.write` stored. */
export interface BlobWriteResult {
  /** Server-generated key of the new blob. */
  key: string;
  /** Number of bytes written. */
  size: number;
  /** Lower-case hex SHA-256 of the bytes, computed while streaming. */
  sha256: string;
}

/** Options of `BlobStore.write`. */
export interface BlobWriteOptions {
  /** Largest accepted size in bytes; one byte more fails with `PayloadTooLargeError`. */
  maxBytes: number;
}

/** Inclusive byte range of `createReadStream`, like `fs.createReadStream`. */
export interface ByteRange {
  /** First byte to read (default 0). */
  start?: number;
  /** Last byte to read, inclusive (default: end of blob). */
  end?: number;
}

/** Options of `BlobStore.sweep`. */
export interface SweepOptions {
  /**
   * Only remove temp files and orphans not modified for this many milliseconds (default one
   * hour), so a sweep never races an upload in flight in another process sharing the data dir.
   */
  graceMs?: number;
}

/** What `BlobStore.sweep` removed. */
export interface SweepResult {
  /** Temp files left by interrupted writes. */
  removedTemp: number;
  /** Stored blobs that no metadata row references. */
  removedOrphans: number;
}

/** Immutable byte contents addressed by server-generated keys. */
export interface BlobStore {
  /**
   * Streams `source` into a new blob, hashing and counting while streaming, and resolves only once
   * the blob is durable. On any failure nothing is left behind and the original error is rethrown.
   * String chunks (from a stream with an encoding set) are encoded as UTF-8.
   */
  write(
    source: BlobSource,
    options: BlobWriteOptions,
  ): Promise<BlobWriteResult>;
  /** Size of the blob, or undefined when it does not exist. */
  stat(key: string): Promise<{ size: number } | undefined>;
  /**
   * Absolute path of the blob on the local disk, so the HTTP layer can read it with positioned reads.
   * Backends without local files (e.g. S3) return undefined. Does not check that the blob exists.
   */
  localPath(key: string): string | undefined;
  /** Reads the blob (or an inclusive range of it). `NotFoundError("blob")` if it does not exist. */
  createReadStream(key: string, range?: ByteRange): Promise<Readable>;
  /** Deletes the blob; deleting a missing blob is not an error. */
  delete(key: string): Promise<void>;
  /**
   * Bytes still free for new blobs (the local volume's available space), or undefined when the
   * backend cannot tell (an object store without quotas).
   */
  freeBytes(): Promise<number | undefined>;
  /** Resolves when the store can be used (its directory, its bucket); rejects with the cause when not. */
  ping(): Promise<void>;
  /** Removes leftover temp files and every blob for which `isReferenced(key)` is false. */
  sweep(
    isReferenced: (key: string) => boolean | Promise<boolean>,
    options?: SweepOptions,
  ): Promise<SweepResult>;
}

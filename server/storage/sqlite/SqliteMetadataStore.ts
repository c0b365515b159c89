/**
 * SqliteMetadataStore — the embedded `MetadataStore`, on better-sqlite3.
 *
 * Design:
 * - One database file shared by the server and the `aether` CLI, possibly at the same time.
 *   `journal_mode = WAL` lets readers run while one process writes; `busy_timeout = 5000` makes a
 *   writer wait for the other process's write lock instead of failing; every write runs in an
 *   IMMEDIATE transaction (`db.transaction(fn).immediate()`), which takes the write lock up front:
 *   a deferred transaction that reads first and upgrades later can fail with SQLITE_BUSY without
 *   ever calling the busy handler. Reads that need a consistent snapshot (page + total) run in a
 *   deferred transaction.
 * - `synchronous = FULL`: a commit is on disk before the call returns, so an upload answered 201
 *   survives a power cut (the blob itself was fsynced before the row was written). NORMAL would
 *   only risk the last commits on power loss, but the cost of FULL is one fsync per commit, small
 *   next to the blob fsync of an upload; the two hot per-request writes are kept rare instead:
 *   `touchApiKey` writes at most once a minute per key, `addBandwidth` once per download.
 * - `foreign_keys = ON`, STRICT tables, and folder references made of (folder id, user id) pairs,
 *   so the database itself refuses a row that points at another user's folder. The code still
 *   checks first, to throw `NotFoundError("folder")` rather than a constraint error.
 * - Counters live in `user_stats` and are updated in the same transaction as the rows they count:
 *   `getStats` is one primary-key read, never a scan or SUM over `files`.
 * - Ids and timestamps are made here (`newId` or the injected generator; the injected clock). Lists
 *   are ordered newest first with `id` as tie-break so pagination is stable even when timestamps
 *   are equal.
 * - Schema versions: `PRAGMA user_version`, see `schema.ts`.
 * - better-sqlite3 is synchronous; the methods are `async` only to satisfy the interface (and so a
 *   thrown error becomes a rejected promise). Statements are prepared once per connection (`statements.ts`).
 */
import Database from "better-sqlite3";
import { ConflictError, InvalidInputError, NotFoundError, StorageFullError, isOutOfSpace } from "../errors.js";
import { IdPrefix, newId } from "../ids.js";
import type {
  ApiKeyRecord,
  FilePage,
  FilePatch,
  FileRecord,
  FolderRecord,
  ListFilesOptions,
  MetadataStore,
  MetadataStoreOptions,
  NewApiKey,
  NewFile,
  NewFolder,
  User,
  UserStats,
} from "../types.js";
import { assertCount, assertCursor, assertDescription, assertId, assertEntryName, assertName, assertNameList, assertSha256, assertTags, newFileRecord } from "../validation.js";
import { migrate } from "./schema.js";
import { prepareStatements, type After, type Owned, type Page, type Statements } from "./statements.js";
import {
  fromFile,
  toApiKey,
  toFile,
  toFolder,
  toStats,
  toUser,
  type ApiKeyRow,
  type FileRow,
  type FolderRow,
  type UserRow,
} from "./rows.js";

/** How long `touchApiKey` waits between two writes for the same key. */
const TOUCH_INTERVAL_MS = 60_000;
/** How long a writer waits for another process's lock before failing with SQLITE_BUSY. */
const BUSY_TIMEOUT_MS = 5_000;

/** `MetadataStore` on a SQLite file (or `":memory:"` for throwaway tests). */
export class SqliteMetadataStore implements MetadataStore {
  readonly #db: Database.Database;
  readonly #now: () => Date;
  readonly #sql: Statements;
  readonly #onFull: (() => boolean) | undefined;
  readonly #newId: (prefix: IdPrefix) => string;

  /** Opens (creating if needed) and migrates the database at `filename`. */
  constructor(filename: string, options: MetadataStoreOptions = {}) {
    this.#now = options.now ?? (() => new Date());
    this.#onFull = options.onFull;
    this.#newId = options.newId ?? newId;
    this.#db = new Database(filename);
    try {
      this.#db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
      this.#db.pragma("journal_mode = WAL");
      this.#db.pragma("synchronous = FULL");
      this.#db.pragma("foreign_keys = ON");
      migrate(this.#db);
      this.#sql = prepareStatements(this.#db);
    } catch (error) {
      this.#db.close();
      throw error;
    }
  }

  /**
   * Runs `fn` in an IMMEDIATE transaction (write lock taken up front, see the design note). Out
   * of space: `onFull` may free some (the ballast) and the write is retried once; else
   * `StorageFullError`.
   */
  #write<T>(fn: () => T): T {
    try {
      return this.#db.transaction(fn).immediate();
    } catch (error) {
      if (!isOutOfSpace(error)) throw error;
      if (this.#onFull?.()) {
        try {
          return this.#db.transaction(fn).immediate();
        } catch (retryError) {
          if (!isOutOfSpace(retryError)) throw retryError;
        }
      }
      throw new StorageFullError();
    }
  }

  /** Runs `fn` in a read transaction: one consistent snapshot for several queries. */
  #read<T>(fn: () => T): T {
    return this.#db.transaction(fn).deferred();
  }

  #timestamp(): string {
    return this.#now().toISOString();
  }

  /** A new id from the injected generator, checked (see `MetadataStoreOptions.newId`). */
  #id(prefix: IdPrefix): string {
    const id = this.#newId(prefix);
    assertId(prefix, id);
    return id;
  }

  #ownedFolder(userId: string, folderId: string): FolderRow {
    const row = this.#sql.folder.get({ id: folderId, user: userId });
    if (!row) throw new NotFoundError("folder");
    return row;
  }

  #ownedFile(userId: string, fileId: string): FileRow {
    const row = this.#sql.file.get({ id: fileId, user: userId });
    if (!row) throw new NotFoundError("file");
    return row;
  }

  #requireUser(userId: string): void {
    if (!this.#sql.userById.get(userId)) throw new NotFoundError("user");
  }

  async createUser(name: string): Promise<User> {
    assertName("name", name);
    return this.#write(() => {
      if (this.#sql.userByName.get(name)) {
        throw new ConflictError("user_name_taken", "That user name is already taken.");
      }
      const row: UserRow = { id: this.#id(IdPrefix.User), name, created_at: this.#timestamp() };
      this.#sql.insertUser.run(row);
      this.#sql.insertStats.run(row.id);
      return toUser(row);
    });
  }

  async getUser(id: string): Promise<User | undefined> {
    const row = this.#sql.userById.get(id);
    return row && toUser(row);
  }

  async getUserByName(name: string): Promise<User | undefined> {
    const row = this.#sql.userByName.get(name);
    return row && toUser(row);
  }

  async createApiKey(input: NewApiKey): Promise<ApiKeyRecord> {
    const label = input.label ?? null;
    if (label !== null) assertName("label", label);
    assertName("prefix", input.prefix, 16);
    assertSha256("hash", input.hash);
    assertNameList("scopes", input.scopes);
    return this.#write(() => {
      this.#requireUser(input.userId);
      if (this.#sql.keyByHash.get(input.hash)) {
        throw new ConflictError("key_hash_in_use", "An API key with the same secret already exists.");
      }
      const row: ApiKeyRow = {
        id: this.#id(IdPrefix.Key),
        user_id: input.userId,
        label,
        prefix: input.prefix,
        hash: input.hash,
        scopes: JSON.stringify(input.scopes),
        created_at: this.#timestamp(),
        revoked_at: null,
        last_used_at: null,
      };
      this.#sql.insertKey.run(row);
      return toApiKey(row);
    });
  }

  async findApiKeyByHash(hash: string): Promise<ApiKeyRecord | undefined> {
    const row = this.#sql.keyByHash.get(hash);
    return row && toApiKey(row);
  }

  async listApiKeys(userId?: string): Promise<ApiKeyRecord[]> {
    const rows = userId === undefined ? this.#sql.allKeys.all() : this.#sql.keysOfUser.all(userId);
    return rows.map(toApiKey);
  }

  async revokeApiKey(id: string, userId?: string): Promise<ApiKeyRecord> {
    return this.#write(() => {
      const row = this.#sql.keyById.get(id);
      if (!row || (userId !== undefined && row.user_id !== userId)) throw new NotFoundError("key");
      if (row.revoked_at !== null) return toApiKey(row);
      const at = this.#timestamp();
      this.#sql.revokeKey.run({ id, at });
      return toApiKey({ ...row, revoked_at: at });
    });
  }

  async touchApiKey(id: string, at: Date): Promise<void> {
    if (Number.isNaN(at.getTime())) throw new InvalidInputError("at", "The time of use is not a valid date.");
    const before = new Date(at.getTime() - TOUCH_INTERVAL_MS).toISOString();
    this.#sql.touchKey.run({ id, at: at.toISOString(), before });
  }

  async createFile(input: NewFile): Promise<FileRecord> {
    const draft = newFileRecord(input, this.#timestamp(), this.#id(IdPrefix.File));
    const { folderId } = draft;
    return this.#write(() => {
      this.#requireUser(input.userId);
      if (folderId !== null) this.#ownedFolder(input.userId, folderId);
      if (this.#sql.blobKeyUsed.get(input.blobKey)) {
        throw new ConflictError("blob_key_in_use", "This content is already attached to another file.");
      }
      const file = draft;
      this.#sql.insertFile.run(fromFile(file));
      this.#sql.countFile.run({ user: file.userId, files: 1, size: file.size });
      this.#countIn(file.userId, file.folderId, 1);
      return file;
    });
  }

  async getFile(userId: string, id: string): Promise<FileRecord> {
    return toFile(this.#ownedFile(userId, id));
  }

  /** Moves the per-folder (or root) file count of `folderId` by `n`. */
  #countIn(userId: string, folderId: string | null, n: number): void {
    if (folderId === null) this.#sql.countRootFile.run({ user: userId, n });
    else this.#sql.countFolderFile.run({ user: userId, folder: folderId, n });
  }

  async listFiles(userId: string, options: ListFilesOptions): Promise<FilePage> {
    const { folderId, limit, offset, after } = options;
    assertCount("limit", limit);
    assertCount("offset", offset);
    if (after !== undefined) assertCursor(after, offset);
    // One row past the page tells whether another page follows.
    const page: Page = { user: userId, limit: limit + 1, offset };
    const keyset: After | undefined = after && { user: userId, limit: limit + 1, afterCreatedAt: after.createdAt, afterId: after.id };
    return this.#read(() => {
      let rows: FileRow[];
      let total: number;
      if (folderId === undefined) {
        rows = keyset ? this.#sql.filesAllAfter.all(keyset) : this.#sql.filesAll.all(page);
        total = this.#sql.stats.get(userId)?.total_files ?? 0;
      } else if (folderId === null) {
        rows = keyset ? this.#sql.filesAtRootAfter.all(keyset) : this.#sql.filesAtRoot.all(page);
        total = this.#sql.rootFiles.get(userId)?.n ?? 0;
      } else {
        total = this.#ownedFolder(userId, folderId).file_count ?? 0;
        rows = keyset ? this.#sql.filesInAfter.all({ ...keyset, folder: folderId }) : this.#sql.filesIn.all({ ...page, folder: folderId });
      }
      return { files: rows.slice(0, limit).map(toFile), total, hasMore: rows.length > limit };
    });
  }

  async updateFile(userId: string, id: string, patch: FilePatch): Promise<FileRecord> {
    if (patch.name !== undefined) assertEntryName("name", patch.name);
    if (patch.description !== undefined) assertDescription(patch.description);
    if (patch.tags !== undefined) assertTags(patch.tags);
    return this.#write(() => {
      const current = toFile(this.#ownedFile(userId, id));
      if (typeof patch.folderId === "string") this.#ownedFolder(userId, patch.folderId);
      const next: FileRecord = {
        ...current,
        name: patch.name ?? current.name,
        description: patch.description === undefined ? current.description : patch.description,
        tags: patch.tags === undefined ? current.tags : [...patch.tags],
        folderId: patch.folderId === undefined ? current.folderId : patch.folderId,
        updatedAt: this.#timestamp(),
      };
      this.#sql.updateFile.run(fromFile(next));
      if (next.folderId !== current.folderId) {
        this.#countIn(userId, current.folderId, -1);
        this.#countIn(userId, next.folderId, 1);
      }
      return next;
    });
  }

  async deleteFile(userId: string, id: string): Promise<FileRecord> {
    return this.#write(() => {
      const file = toFile(this.#ownedFile(userId, id));
      this.#sql.deleteFile.run({ id, user: userId });
      this.#sql.countFile.run({ user: userId, files: -1, size: -file.size });
      this.#countIn(userId, file.folderId, -1);
      return file;
    });
  }

  async createFolder(userId: string, input: NewFolder): Promise<FolderRecord> {
    const parentId = input.parentId ?? null;
    assertEntryName("name", input.name);
    return this.#write(() => {
      this.#requireUser(userId);
      if (parentId !== null) this.#ownedFolder(userId, parentId);
      const row: FolderRow = {
        id: this.#id(IdPrefix.Folder),
        user_id: userId,
        name: input.name,
        parent_id: parentId,
        created_at: this.#timestamp(),
      };
      this.#sql.insertFolder.run(row);
      this.#sql.countFolder.run({ user: userId, folders: 1 });
      return toFolder(row);
    });
  }

  async getFolder(userId: string, id: string): Promise<FolderRecord> {
    return toFolder(this.#ownedFolder(userId, id));
  }

  async listFolders(userId: string): Promise<FolderRecord[]> {
    return this.#sql.foldersOfUser.all(userId).map(toFolder);
  }

  async deleteFolder(userId: string, id: string): Promise<FolderRecord> {
    return this.#write(() => {
      const folder = toFolder(this.#ownedFolder(userId, id));
      const owned: Owned = { id, user: userId };
      if (this.#sql.folderHasFile.get(owned) || this.#sql.folderHasChild.get(owned)) {
        throw new ConflictError("folder_not_empty", "The folder is not empty: delete or move its contents first.");
      }
      this.#sql.deleteFolder.run(owned);
      this.#sql.countFolder.run({ user: userId, folders: -1 });
      return folder;
    });
  }

  async getStats(userId: string): Promise<UserStats> {
    const row = this.#sql.stats.get(userId);
    if (!row) throw new NotFoundError("user");
    return toStats(row);
  }

  async addBandwidth(userId: string, bytes: number): Promise<void> {
    assertCount("bytes", bytes);
    const { changes } = this.#sql.addBandwidth.run({ user: userId, bytes });
    if (changes === 0) throw new NotFoundError("user");
  }

  async isBlobKeyReferenced(key: string): Promise<boolean> {
    return this.#sql.blobKeyUsed.get(key) !== undefined;
  }

  async ping(): Promise<void> {
    this.#db.prepare("SELECT 1").get();
  }

  async close(): Promise<void> {
    if (this.#db.open) this.#db.close();
  }
}

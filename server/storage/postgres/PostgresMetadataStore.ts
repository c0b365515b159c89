/**
 * PostgresMetadataStore — the networked `MetadataStore`, on node-postgres (`pg`) with a pool.
 *
 * Design:
 * - Several server processes (and the CLI) share one database. Correctness does not rest on the
 *   code's checks alone: the schema (`schema.ts`) enforces tenant ownership with composite foreign
 *   keys, uniqueness, NFC names and non-negative counters, and violations become domain errors
 *   (`pgErrors.ts`). The code still checks where SQLite does, so errors name the same entity.
 * - Counters (`user_stats`, `folders.file_count`) move in the same transaction as the rows, with
 *   `SET n = n + $d` (never read-modify-write), at READ COMMITTED. Lock order, to rule out
 *   deadlocks: an existing file row first (when the operation has one), then the owner's
 *   `user_stats` row — taken by the transaction's first counter UPDATE, or by `LOCK_USER` — then
 *   folder rows. Every change to a user's counters therefore holds that user's stats row: writes of
 *   one user are serialised (as SQLite serialises all writes), different users never wait.
 *   `deleteFolder` reads emptiness from the counters before deleting, so the DELETE's foreign-key
 *   check never waits for a file row held by a move or delete queued behind the user lock.
 * - Statements that are atomic on their own run outside a transaction: creating a user with its
 *   counters (one statement with a CTE), a key (INSERT … SELECT from the owner), revoking a key
 *   (COALESCE keeps the first `revoked_at`), `touchApiKey` (a conditional UPDATE: at most one write
 *   a minute per key), bandwidth. A page and its total are read by one statement (`sql.ts`), so
 *   they come from one snapshot.
 * - Ids and timestamps are made here (`newId`, the injected clock) and stored as `text COLLATE "C"`
 *   and `timestamptz(3)`: lists order newest first with the id as a bytewise tie-break, exactly as
 *   the SQLite store does.
 * - Failure: the pool has a connection timeout and every query a statement timeout (plus a client
 *   backstop), so a lost database makes calls reject rather than hang; broken connections are
 *   dropped and the pool reconnects on the next call once the database is back. A full disk on the
 *   server (SQLSTATE 53100) is `StorageFullError`; there is no ballast to free (`onFull` does not apply).
 * - `open` migrates (under an advisory lock, see `schema.ts`) and reports failures as one line
 *   naming host, port and database, never the password.
 */
import pg from "pg";
import { ConflictError, InvalidInputError, NotFoundError, isStorageError } from "../errors.js";
import { IdPrefix, newId } from "../ids.js";
import type {
  ApiKeyRecord,
  FilePage,
  FilePatch,
  FileRecord,
  FolderRecord,
  ListFilesOptions,
  MetadataStore,
  NewApiKey,
  NewFile,
  NewFolder,
  User,
  UserStats,
} from "../types.js";
import { assertCount, assertCursor, assertDescription, assertEntryName, assertName, assertNameList, assertSha256, assertTags, newFileRecord } from "../validation.js";
import { checkOptions, describeTarget, migrationConfig, oneLineCause, poolConfig, type PostgresStoreOptions } from "./connection.js";
import { SqlState, isDatabaseError, isViolation, translateError } from "./pgErrors.js";
import { migrate } from "./schema.js";
import * as sql from "./sql.js";
import { fileValues, toApiKey, toCount, toFile, toFolder, toStats, toUser, type ApiKeyRow, type FileRow, type FolderRow, type ListRow, type StatsRow, type UserRow } from "./rows.js";

/** How long `touchApiKey` waits between two writes for the same key. */
const TOUCH_INTERVAL_MS = 60_000;
/** How long `ping` waits for `SELECT 1`. */
const PING_TIMEOUT_MS = 2_000;

/** Something that runs queries: the pool, or a client inside a transaction. */
type Queryable = Pick<pg.PoolClient, "query">;

/** `MetadataStore` on a PostgreSQL database. Create it with {@link PostgresMetadataStore.open}. */
export class PostgresMetadataStore implements MetadataStore {
  readonly #pool: pg.Pool;
  readonly #now: () => Date;
  #closed = false;

  private constructor(pool: pg.Pool, now: () => Date) {
    this.#pool = pool;
    this.#now = now;
  }

  /**
   * Connects to `url` (`postgresql://user:password@host:port/database`), migrates the schema and
   * returns a store with a pool of `poolMax` connections (default 10). Throws an Error whose message
   * is one line naming host, port and database and the cause, e.g.
   * `cannot reach PostgreSQL at 127.0.0.1:5999/aether: connect ECONNREFUSED 127.0.0.1:5999`.
   */
  static async open(url: string, options: PostgresStoreOptions = {}): Promise<PostgresMetadataStore> {
    checkOptions(options);
    const { target, password } = describeTarget(url);
    const client = new pg.Client(migrationConfig(url, options));
    client.on("error", () => undefined); // a dropped connection fails the pending query; nothing else to do
    try {
      await client.connect();
    } catch (error) {
      throw new Error(`cannot reach PostgreSQL at ${target}: ${oneLineCause(error, password)}`);
    }
    try {
      const { rows } = await client.query<{ server_encoding: string }>("SHOW server_encoding");
      if (rows[0]?.server_encoding !== "UTF8") {
        throw new Error(`the database encoding is ${rows[0]?.server_encoding ?? "unknown"}, UTF8 is required`);
      }
      await migrate(client);
    } catch (error) {
      throw new Error(`cannot set up the metadata schema in PostgreSQL at ${target}: ${oneLineCause(error, password)}`);
    } finally {
      await client.end().catch(() => undefined);
    }
    const pool = new pg.Pool(poolConfig(url, options));
    // An idle connection that dies (server restart) is removed by the pool, which then emits
    // "error"; without a listener that would crash the process. The next call reconnects.
    pool.on("error", () => undefined);
    return new PostgresMetadataStore(pool, options.now ?? (() => new Date()));
  }

  /**
   * Plain SQL on the store's pool, for state the instances share beside the metadata (the
   * rate-limit windows). Errors are not translated.
   */
  get sql(): { query<R extends pg.QueryResultRow>(text: string, values?: unknown[]): Promise<{ rows: R[] }> } {
    const pool = this.#pool;
    return { query: (text, values) => pool.query(text, values) };
  }

  /** One statement outside a transaction, with its failure translated to a domain error. */
  async #query<R extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<pg.QueryResult<R>> {
    try {
      return await this.#pool.query<R>(text, values);
    } catch (error) {
      throw translateError(error);
    }
  }

  /**
   * Runs `fn` in a READ COMMITTED transaction on one pooled connection. A domain error (thrown by
   * `fn`) or a database error rolls back, the latter translated; any other failure (lost
   * connection, client timeout) discards the connection, which also makes the server roll back.
   */
  async #transaction<T>(fn: (db: Queryable) => Promise<T>): Promise<T> {
    const client = await this.#pool.connect();
    let broken: Error | undefined;
    try {
      await client.query("BEGIN");
      const result = await fn(client);
      await client.query("COMMIT");
      return result;
    } catch (error) {
      if (isStorageError(error) || isDatabaseError(error)) {
        await client.query("ROLLBACK").catch((rollbackError: Error) => (broken = rollbackError));
      } else {
        broken = error instanceof Error ? error : new Error(String(error));
      }
      throw translateError(error);
    } finally {
      client.release(broken);
    }
  }

  #timestamp(): string {
    return this.#now().toISOString();
  }

  async createUser(name: string): Promise<User> {
    assertName("name", name);
    const { rows } = await this.#query<UserRow>(sql.INSERT_USER, [newId(IdPrefix.User), name, this.#timestamp()]);
    return toUser(only(rows));
  }

  async getUser(id: string): Promise<User | undefined> {
    const row = (await this.#query<UserRow>(sql.USER_BY_ID, [id])).rows[0];
    return row && toUser(row);
  }

  async getUserByName(name: string): Promise<User | undefined> {
    const row = (await this.#query<UserRow>(sql.USER_BY_NAME, [name])).rows[0];
    return row && toUser(row);
  }

  async createApiKey(input: NewApiKey): Promise<ApiKeyRecord> {
    const label = input.label ?? null;
    if (label !== null) assertName("label", label);
    assertName("prefix", input.prefix, 16);
    assertSha256("hash", input.hash);
    assertNameList("scopes", input.scopes);
    const values = [newId(IdPrefix.Key), input.userId, label, input.prefix, input.hash, input.scopes, this.#timestamp()];
    const row = (await this.#query<ApiKeyRow>(sql.INSERT_KEY, values)).rows[0];
    if (!row) throw new NotFoundError("user");
    return toApiKey(row);
  }

  async findApiKeyByHash(hash: string): Promise<ApiKeyRecord | undefined> {
    const row = (await this.#query<ApiKeyRow>(sql.KEY_BY_HASH, [hash])).rows[0];
    return row && toApiKey(row);
  }

  async listApiKeys(userId?: string): Promise<ApiKeyRecord[]> {
    const result = userId === undefined ? await this.#query<ApiKeyRow>(sql.ALL_KEYS) : await this.#query<ApiKeyRow>(sql.KEYS_OF_USER, [userId]);
    return result.rows.map(toApiKey);
  }

  async revokeApiKey(id: string, userId?: string): Promise<ApiKeyRecord> {
    const row = (await this.#query<ApiKeyRow>(sql.REVOKE_KEY, [id, userId ?? null, this.#timestamp()])).rows[0];
    if (!row) throw new NotFoundError("key");
    return toApiKey(row);
  }

  async touchApiKey(id: string, at: Date): Promise<void> {
    if (Number.isNaN(at.getTime())) throw new InvalidInputError("at", "The time of use is not a valid date.");
    const before = new Date(at.getTime() - TOUCH_INTERVAL_MS).toISOString();
    await this.#query(sql.TOUCH_KEY, [id, at.toISOString(), before]);
  }

  async createFile(input: NewFile): Promise<FileRecord> {
    const file = newFileRecord(input, this.#timestamp());
    const { folderId } = file;
    return this.#transaction(async (db) => {
      const counted = await db.query(sql.COUNT_FILES, [file.userId, 1, file.size, folderId === null ? 1 : 0]);
      if (counted.rowCount === 0) throw new NotFoundError("user");
      if (folderId !== null) await countIn(db, file.userId, folderId, 1);
      await db.query(sql.INSERT_FILE, fileValues(file)); // a used blob key fails here (unique)
      return file;
    });
  }

  async getFile(userId: string, id: string): Promise<FileRecord> {
    const row = (await this.#query<FileRow>(sql.FILE, [id, userId])).rows[0];
    if (!row) throw new NotFoundError("file");
    return toFile(row);
  }

  async listFiles(userId: string, options: ListFilesOptions): Promise<FilePage> {
    const { folderId, limit, offset, after } = options;
    assertCount("limit", limit);
    assertCount("offset", offset);
    if (after !== undefined) {
      assertCursor(after, offset);
      assertInstant(after.createdAt);
    }
    // One row past the page tells whether another page follows.
    const query = sql.listFilesQuery({ user: userId, folderId, limit: limit + 1, offset, after });
    const { rows } = await this.#query<ListRow>(query.text, query.values);
    const first = rows[0];
    if (!first) {
      if (typeof folderId === "string") throw new NotFoundError("folder");
      return { files: [], total: 0, hasMore: false }; // unknown user: nothing to list, as in SQLite
    }
    const files = rows.filter((row): row is ListRow & FileRow => row.id !== null).map(toFile);
    return { files: files.slice(0, limit), total: toCount("total", first.total), hasMore: files.length > limit };
  }

  async updateFile(userId: string, id: string, patch: FilePatch): Promise<FileRecord> {
    if (patch.name !== undefined) assertEntryName("name", patch.name);
    if (patch.description !== undefined) assertDescription(patch.description);
    if (patch.description !== undefined) assertNoNul(patch.description);
    if (patch.tags !== undefined) assertTags(patch.tags);
    return this.#transaction(async (db) => {
      const row = (await db.query<FileRow>(sql.FILE_FOR_UPDATE, [id, userId])).rows[0];
      if (!row) throw new NotFoundError("file");
      const current = toFile(row);
      const next: FileRecord = {
        ...current,
        name: patch.name ?? current.name,
        description: patch.description === undefined ? current.description : patch.description,
        tags: patch.tags === undefined ? current.tags : [...patch.tags],
        folderId: patch.folderId === undefined ? current.folderId : patch.folderId,
        updatedAt: this.#timestamp(),
      };
      if (next.folderId !== current.folderId) {
        // The root counter update (even by 0) also takes the per-user lock before any folder row.
        const rootDelta = (next.folderId === null ? 1 : 0) - (current.folderId === null ? 1 : 0);
        await db.query(sql.COUNT_FILES, [userId, 0, 0, rootDelta]);
        if (next.folderId !== null) await countIn(db, userId, next.folderId, 1);
        if (current.folderId !== null) await countIn(db, userId, current.folderId, -1);
      }
      await db.query(sql.UPDATE_FILE, [id, userId, next.folderId, next.name, next.description, next.tags, next.updatedAt]);
      return next;
    });
  }

  async deleteFile(userId: string, id: string): Promise<FileRecord> {
    return this.#transaction(async (db) => {
      const row = (await db.query<FileRow>(sql.DELETE_FILE, [id, userId])).rows[0];
      if (!row) throw new NotFoundError("file");
      const file = toFile(row);
      await db.query(sql.COUNT_FILES, [userId, -1, -file.size, file.folderId === null ? -1 : 0]);
      if (file.folderId !== null) await countIn(db, userId, file.folderId, -1);
      return file;
    });
  }

  async createFolder(userId: string, input: NewFolder): Promise<FolderRecord> {
    const parentId = input.parentId ?? null;
    assertEntryName("name", input.name);
    const values = [newId(IdPrefix.Folder), userId, input.name, parentId, this.#timestamp()];
    return this.#transaction(async (db) => {
      const counted = await db.query(sql.COUNT_FOLDERS, [userId, 1]);
      if (counted.rowCount === 0) throw new NotFoundError("user");
      // A parent that is missing or another user's fails the composite foreign key → NotFound("folder").
      return toFolder(only((await db.query<FolderRow>(sql.INSERT_FOLDER, values)).rows));
    });
  }

  async getFolder(userId: string, id: string): Promise<FolderRecord> {
    const row = (await this.#query<FolderRow>(sql.FOLDER, [id, userId])).rows[0];
    if (!row) throw new NotFoundError("folder");
    return toFolder(row);
  }

  async listFolders(userId: string): Promise<FolderRecord[]> {
    return (await this.#query<FolderRow>(sql.FOLDERS_OF_USER, [userId])).rows.map(toFolder);
  }

  async deleteFolder(userId: string, id: string): Promise<FolderRecord> {
    const notEmpty = () => new ConflictError("folder_not_empty", "The folder is not empty: delete or move its contents first.");
    return this.#transaction(async (db) => {
      await db.query(sql.LOCK_USER, [userId]);
      // Emptiness from the counter, under the user lock, before deleting: a file that a concurrent
      // move or delete holds (waiting for the user lock) is still counted, so the foreign-key check
      // of the DELETE never has to wait for that file's row (which would deadlock).
      const contents = (await db.query<{ has_files: boolean; has_folders: boolean }>(sql.FOLDER_CONTENTS_FOR_UPDATE, [id, userId])).rows[0];
      if (!contents) throw new NotFoundError("folder");
      if (contents.has_files || contents.has_folders) throw notEmpty();
      let row: FolderRow | undefined;
      try {
        row = (await db.query<FolderRow>(sql.DELETE_FOLDER, [id, userId])).rows[0];
      } catch (error) {
        // The foreign keys have the last word: something still points at the folder.
        if (isViolation(error, SqlState.ForeignKeyViolation)) throw notEmpty();
        throw error;
      }
      if (!row) throw new NotFoundError("folder");
      await db.query(sql.COUNT_FOLDERS, [userId, -1]);
      return toFolder(row);
    });
  }

  async getStats(userId: string): Promise<UserStats> {
    const row = (await this.#query<StatsRow>(sql.STATS, [userId])).rows[0];
    if (!row) throw new NotFoundError("user");
    return toStats(row);
  }

  async addBandwidth(userId: string, bytes: number): Promise<void> {
    assertCount("bytes", bytes);
    const { rowCount } = await this.#query(sql.ADD_BANDWIDTH, [userId, bytes]);
    if (rowCount === 0) throw new NotFoundError("user");
  }

  async isBlobKeyReferenced(key: string): Promise<boolean> {
    const { rows } = await this.#query<{ used: boolean }>(sql.BLOB_KEY_USED, [key]);
    return rows[0]?.used === true;
  }

  async ping(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`PostgreSQL did not answer within ${PING_TIMEOUT_MS} ms`)), PING_TIMEOUT_MS);
    });
    const query = this.#pool.query("SELECT 1");
    query.catch(() => undefined); // if the timeout wins, a later failure must not go unhandled
    try {
      await Promise.race([query, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#pool.end();
  }
}

/** Moves the file count of the user's folder by `n`; `NotFoundError("folder")` if it is not theirs. */
async function countIn(db: Queryable, userId: string, folderId: string, n: number): Promise<void> {
  const { rowCount } = await db.query(sql.COUNT_IN_FOLDER, [folderId, userId, n]);
  if (rowCount === 0) throw new NotFoundError("folder");
}

/** The single row a RETURNING statement produced. */
function only<R>(rows: R[]): R {
  const row = rows[0];
  if (row === undefined) throw new Error("The database returned no row where one was expected.");
  return row;
}

/**
 * PostgreSQL text cannot hold U+0000, which the spec's `Description` (and so `assertDescription`)
 * allows: refuse it as invalid input rather than fail with a database error.
 */
function assertNoNul(description: string | null): void {
  if (description !== null && description.includes("\u0000")) {
    throw new InvalidInputError("description", "The description cannot contain the character U+0000.");
  }
}

/**
 * A cursor's time must be a real instant PostgreSQL can store (SQLite only compares the strings;
 * here "2026-02-30…" or year 0000 would fail the query with a database error, not a 400).
 */
function assertInstant(value: string): void {
  const ms = Date.parse(value);
  if (Number.isNaN(ms) || new Date(ms).toISOString() !== value || value.startsWith("0000")) {
    throw new InvalidInputError("cursor", "The cursor is not valid.");
  }
}

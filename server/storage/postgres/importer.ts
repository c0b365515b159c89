/**
 * Bulk import of records that already have their ids, timestamps and hashes (moving a deployment
 * off the embedded default: `aether migrate`). Every insert is `ON CONFLICT (id) DO NOTHING`, so
 * a second run after an interruption inserts only what is missing; counters are then recomputed
 * from the rows in one transaction (never incremented), so they are right however often it runs.
 * The schema is brought up to date first, as by the server.
 */
import pg from "pg";
import type { ApiKeyRecord, FileRecord, FolderRecord, User } from "../types.js";
import { describeTarget, oneLineCause } from "./connection.js";
import { PostgresMetadataStore } from "./PostgresMetadataStore.js";

/** Writes imported rows into one PostgreSQL database. */
export class PostgresImporter {
  /** `host:port/database`, never the password. */
  readonly target: string;
  readonly #client: pg.Client;

  private constructor(client: pg.Client, target: string) {
    this.#client = client;
    this.target = target;
  }

  /** Migrates the database at `url` and connects. Errors are one line without the password. */
  static async open(url: string): Promise<PostgresImporter> {
    await (await PostgresMetadataStore.open(url, { poolMax: 1 })).close();
    const { target, password } = describeTarget(url);
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
    client.on("error", () => undefined);
    try {
      await client.connect();
    } catch (error) {
      throw new Error(`cannot reach PostgreSQL at ${target}: ${oneLineCause(error, password)}`);
    }
    return new PostgresImporter(client, target);
  }

  /** Users present in the database that are not among `ids` (another deployment's data). */
  async otherUsers(ids: readonly string[]): Promise<string[]> {
    const { rows } = await this.#client.query<{ name: string }>("SELECT name FROM users WHERE NOT (id = ANY($1::text[])) ORDER BY name LIMIT 5", [ids]);
    return rows.map((r) => r.name);
  }

  /** Inserts the user (and its counters row) unless its id exists; true when inserted. */
  async user(user: User): Promise<boolean> {
    const { rowCount } = await this.#client
      .query("INSERT INTO users (id, name, created_at) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING", [user.id, user.name, user.createdAt])
      .catch((error: unknown) => {
        if ((error as { constraint?: string }).constraint === "users_name_key") {
          throw new Error(`user name "${user.name}" is taken in the target by another user; rename one of them (user names are unique) and run again`);
        }
        throw error;
      });
    await this.#client.query("INSERT INTO user_stats (user_id) VALUES ($1) ON CONFLICT (user_id) DO NOTHING", [user.id]);
    return rowCount === 1;
  }

  async apiKey(key: ApiKeyRecord): Promise<boolean> {
    const { rowCount } = await this.#client.query(
      `INSERT INTO api_keys (id, user_id, label, prefix, hash, scopes, created_at, revoked_at, last_used_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (id) DO NOTHING`,
      [key.id, key.userId, key.label, key.prefix, key.hash, key.scopes, key.createdAt, key.revokedAt, key.lastUsedAt],
    );
    return rowCount === 1;
  }

  async folder(folder: FolderRecord): Promise<boolean> {
    const { rowCount } = await this.#client.query(
      "INSERT INTO folders (id, user_id, name, parent_id, created_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO NOTHING",
      [folder.id, folder.userId, folder.name, folder.parentId, folder.createdAt],
    );
    return rowCount === 1;
  }

  /** True when a file row with this id exists. */
  async hasFile(id: string): Promise<boolean> {
    const { rowCount } = await this.#client.query("SELECT 1 FROM files WHERE id = $1", [id]);
    return rowCount === 1;
  }

  /** Inserts the file row; call only once its blob is stored and verified. */
  async file(file: FileRecord): Promise<boolean> {
    const { rowCount } = await this.#client.query(
      `INSERT INTO files (id, user_id, folder_id, name, size, mime_type, description, tags, sha256, blob_key, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT (id) DO NOTHING`,
      [file.id, file.userId, file.folderId, file.name, file.size, file.mimeType, file.description, file.tags, file.sha256, file.blobKey, file.createdAt, file.updatedAt],
    );
    return rowCount === 1;
  }

  /**
   * Sets the counters of `userIds` from their rows (files, sizes, folders, root files, files per
   * folder) and their bandwidth to the source's figure, in one transaction.
   */
  async recount(userIds: readonly string[], bandwidth: ReadonlyMap<string, number>): Promise<void> {
    await this.#client.query("BEGIN");
    try {
      await this.#client.query(
        `UPDATE user_stats s SET
           total_files   = (SELECT count(*) FROM files f WHERE f.user_id = s.user_id),
           total_size    = (SELECT coalesce(sum(size), 0) FROM files f WHERE f.user_id = s.user_id),
           root_files    = (SELECT count(*) FROM files f WHERE f.user_id = s.user_id AND f.folder_id IS NULL),
           total_folders = (SELECT count(*) FROM folders d WHERE d.user_id = s.user_id)
         WHERE s.user_id = ANY($1::text[])`,
        [userIds],
      );
      await this.#client.query(
        `UPDATE folders d SET file_count = (SELECT count(*) FROM files f WHERE f.folder_id = d.id AND f.user_id = d.user_id)
         WHERE d.user_id = ANY($1::text[])`,
        [userIds],
      );
      for (const [userId, bytes] of bandwidth) {
        await this.#client.query("UPDATE user_stats SET bandwidth_bytes = $2 WHERE user_id = $1", [userId, bytes]);
      }
      await this.#client.query("COMMIT");
    } catch (error) {
      await this.#client.query("ROLLBACK").catch(() => undefined);
      throw error;
    }
  }

  async close(): Promise<void> {
    await this.#client.end().catch(() => undefined);
  }
}

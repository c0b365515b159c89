/**
 * An express-rate-limit store on PostgreSQL, so N server instances share one budget per key and
 * per client address. One atomic upsert per request (no read-modify-write): the row's window
 * restarts when it has expired, else its count goes up by one; concurrent requests on any
 * instance serialise on the row. Expired rows are pruned now and then by the same requests.
 * The table (`rate_limit_hits`) comes from the PostgreSQL store's migrations.
 */
import type { ClientRateLimitInfo, Options, Store } from "express-rate-limit";

/** What the store needs of a `pg.Pool`. */
export interface SqlClient {
  query<R extends Record<string, unknown>>(text: string, values?: unknown[]): Promise<{ rows: R[] }>;
}

const PRUNE_EVERY = 1000;

/** A shared fixed-window counter per key. */
export class PostgresRateLimitStore implements Store {
  /** Counts are shared between instances. */
  readonly localKeys = false;
  readonly prefix: string;
  readonly #db: SqlClient;
  #windowMs = 60_000;
  #calls = 0;

  /** `prefix` keeps the limits of one app apart (e.g. `key:` and `addr:`). */
  constructor(db: SqlClient, prefix: string) {
    this.#db = db;
    this.prefix = prefix;
  }

  init(options: Options): void {
    this.#windowMs = options.windowMs;
  }

  async increment(key: string): Promise<ClientRateLimitInfo> {
    if (++this.#calls % PRUNE_EVERY === 0) {
      void this.#db.query("DELETE FROM rate_limit_hits WHERE reset_at < now() - interval '1 minute'").catch(() => undefined);
    }
    const { rows } = await this.#db.query<{ hits: number; reset_at: Date }>(
      `INSERT INTO rate_limit_hits AS r (key, hits, reset_at)
       VALUES ($1, 1, clock_timestamp() + make_interval(secs => $2::float8 / 1000))
       ON CONFLICT (key) DO UPDATE SET
         hits = CASE WHEN r.reset_at <= clock_timestamp() THEN 1 ELSE r.hits + 1 END,
         reset_at = CASE WHEN r.reset_at <= clock_timestamp() THEN EXCLUDED.reset_at ELSE r.reset_at END
       RETURNING hits, reset_at`,
      [this.prefix + key, this.#windowMs],
    );
    const row = rows[0];
    if (!row) throw new Error("rate limit upsert returned no row");
    return { totalHits: Number(row.hits), resetTime: new Date(row.reset_at) };
  }

  async get(key: string): Promise<ClientRateLimitInfo | undefined> {
    const { rows } = await this.#db.query<{ hits: number; reset_at: Date }>(
      "SELECT hits, reset_at FROM rate_limit_hits WHERE key = $1 AND reset_at > clock_timestamp()",
      [this.prefix + key],
    );
    const row = rows[0];
    return row ? { totalHits: Number(row.hits), resetTime: new Date(row.reset_at) } : undefined;
  }

  async decrement(key: string): Promise<void> {
    await this.#db.query("UPDATE rate_limit_hits SET hits = GREATEST(hits - 1, 0) WHERE key = $1", [this.prefix + key]);
  }

  async resetKey(key: string): Promise<void> {
    await this.#db.query("DELETE FROM rate_limit_hits WHERE key = $1", [this.prefix + key]);
  }
}

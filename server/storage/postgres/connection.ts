/**
 * Connection settings of the PostgreSQL metadata store: the pool configuration (timeouts that
 * turn a lost database into rejected calls instead of hung ones) and one-line, password-free
 * descriptions of where a URL points and why it could not be used.
 */
import pg from "pg";

/** Options of `PostgresMetadataStore.open` / `openPostgresStorage`. */
export interface PostgresStoreOptions {
  /** Most connections the pool opens (default {@link DEFAULT_POOL_MAX}). */
  poolMax?: number;
  /** Clock used for every timestamp the store writes; defaults to `() => new Date()`. */
  now?: () => Date;
  /** How long to wait for a connection, new or from the busy pool (default {@link DEFAULT_CONNECT_TIMEOUT_MS}). */
  connectTimeoutMs?: number;
  /** Server-side `statement_timeout` of every query (default {@link DEFAULT_QUERY_TIMEOUT_MS}). */
  queryTimeoutMs?: number;
}

/** Default pool size. */
export const DEFAULT_POOL_MAX = 10;
/** Default connection timeout: an unreachable server fails a call after this long. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
/** Default statement timeout. Metadata queries take milliseconds; this only bounds the pathological. */
export const DEFAULT_QUERY_TIMEOUT_MS = 15_000;
/**
 * Extra time the client waits for an answer beyond the statement timeout before giving up on its
 * own (a server that vanished without closing the socket never sends the timeout error).
 */
const CLIENT_GRACE_MS = 5_000;

const URL_SCHEME = /^postgres(?:ql)?:\/\//i;

/** Where `url` points, as `host:port/database` (never the user or password), and its password. */
export function describeTarget(url: string): { target: string; password: string | undefined } {
  if (!URL_SCHEME.test(url)) throw new Error("invalid PostgreSQL URL: expected postgresql://user:password@host:port/database");
  const client = new pg.Client({ connectionString: url });
  const host = client.host.includes(":") ? `[${client.host}]` : client.host;
  return { target: `${host}:${client.port}/${client.database ?? ""}`, password: client.password ?? undefined };
}

/**
 * The cause of a failure on one line, without `password`. Node reports a refused connection to a
 * name with several addresses (`localhost`) as an AggregateError with an empty message: the
 * first inner error then speaks for it.
 */
export function oneLineCause(error: unknown, password: string | undefined): string {
  let cause = error;
  if (cause instanceof AggregateError && cause.message === "" && cause.errors.length > 0) cause = cause.errors[0];
  let text = cause instanceof Error ? cause.message || (cause as { code?: string }).code || cause.name : String(cause);
  if (password) text = text.split(password).join("***");
  return text.replace(/\s*\n\s*/g, "; ").trim();
}

/** Throws unless each given option is a positive integer (a pool of 0 would wait forever). */
export function checkOptions(options: PostgresStoreOptions): void {
  for (const name of ["poolMax", "connectTimeoutMs", "queryTimeoutMs"] as const) {
    const value = options[name];
    if (value !== undefined && !(Number.isSafeInteger(value) && value > 0)) {
      throw new RangeError(`PostgreSQL option ${name} must be a positive integer, not ${String(value)}`);
    }
  }
}

/** Pool settings for `url`: size, connection and query timeouts, TCP keep-alive. */
export function poolConfig(url: string, options: PostgresStoreOptions): pg.PoolConfig {
  const queryTimeoutMs = options.queryTimeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS;
  return {
    connectionString: url,
    max: options.poolMax ?? DEFAULT_POOL_MAX,
    connectionTimeoutMillis: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    idleTimeoutMillis: 30_000,
    statement_timeout: queryTimeoutMs,
    query_timeout: queryTimeoutMs + CLIENT_GRACE_MS,
    keepAlive: true,
    application_name: "aethercdn",
  };
}

/** Settings of the one-off connection that migrates: no statement timeout (a step may be long). */
export function migrationConfig(url: string, options: PostgresStoreOptions): pg.ClientConfig {
  return {
    connectionString: url,
    connectionTimeoutMillis: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    keepAlive: true,
    application_name: "aethercdn (migrate)",
  };
}

/**
 * Server configuration: every environment variable the reference server reads, parsed and
 * checked in one place. `loadConfig` never touches the filesystem or the network.
 */

/** Everything `createApp` and `main` need to know. */
export interface ServerConfig {
  /** TCP port to listen on (`PORT`, default 8080). */
  port: number;
  /** Interface to bind (`HOST`, default 127.0.0.1). */
  host: string;
  /** Where the database and blobs live (`DATA_DIR`, default ./data). */
  dataDir: string;
  /** Origin used to build each file's `url` (`PUBLIC_URL`, default `http://HOST:PORT`), no trailing slash. */
  publicUrl: string;
  /** Largest accepted upload in bytes (`MAX_UPLOAD_BYTES`, default 5 GiB). */
  maxUploadBytes: number;
  /** Requests per API key per minute (`RATE_LIMIT_PER_MINUTE`, default 600). */
  rateLimitPerMinute: number;
  /** Browser origins allowed by CORS (`CORS_ORIGINS`, comma list, default none; `*` allows any). */
  corsOrigins: string[];
  /** pino log level (`LOG_LEVEL`, default info). */
  logLevel: string;
  /**
   * Validate every JSON response against the spec (`VALIDATE_RESPONSES`, default on unless
   * `NODE_ENV=production`). Requests are always validated.
   */
  validateResponses: boolean;
  /** Requests per client address per minute without a valid key (`RATE_LIMIT_UNAUTHENTICATED_PER_MINUTE`, default 120). */
  rateLimitUnauthenticatedPerMinute: number;
  /**
   * A connection that moves no byte in either direction for this long is closed: a stalled
   * request body (the upload's temp file is removed) or a download the client stopped reading
   * (`REQUEST_IDLE_TIMEOUT_SECONDS`, default 30).
   */
  requestIdleTimeoutSeconds: number;
  /** Time a client has to send the request line and headers (`HEADERS_TIMEOUT_SECONDS`, default 20). */
  headersTimeoutSeconds: number;
  /** An idle keep-alive connection is closed after this long (`KEEP_ALIVE_TIMEOUT_SECONDS`, default 5). */
  keepAliveTimeoutSeconds: number;
  /** Open connections per client address; more are answered 429 and closed (`MAX_CONNECTIONS_PER_ADDRESS`, default 128). */
  maxConnectionsPerAddress: number;
  /** Downloads in progress per API key; more answer 429 (`MAX_DOWNLOADS_PER_KEY`, default 16). */
  maxDownloadsPerKey: number;
  /** Uploads in progress per API key; more answer 429 before their body is read (`MAX_UPLOADS_PER_KEY`, default 8). */
  maxUploadsPerKey: number;
  /** Uploads are refused with 507 when the data volume's free space would fall under this (`MIN_FREE_BYTES`, default 1 GiB). */
  minFreeBytes: number;
  /**
   * `DATABASE_URL` (`postgres://…`): metadata in PostgreSQL, shared by any number of instances;
   * absent: SQLite in DATA_DIR (one server per DATA_DIR).
   */
  databaseUrl: string | undefined;
  /** Connections per instance to PostgreSQL (`DATABASE_POOL_MAX`, default 10). */
  databasePoolMax: number;
  /**
   * File bytes in an S3-compatible bucket (`S3_BUCKET` and the `S3_*` settings), shared by every
   * instance; absent: blobs on the local disk under DATA_DIR.
   */
  s3: S3Config | undefined;
}

/** Where the file bytes live when `S3_BUCKET` is set. Credentials come from the AWS SDK's standard chain. */
export interface S3Config {
  /** `S3_BUCKET`: the bucket; it must exist. */
  bucket: string;
  /** `S3_ENDPOINT`: the store's URL (MinIO, R2, Ceph RGW…); absent for AWS. */
  endpoint: string | undefined;
  /** `S3_REGION` (default `AWS_REGION`, else `us-east-1`). */
  region: string;
  /** `S3_FORCE_PATH_STYLE`: `endpoint/bucket/key` URLs (default true with `S3_ENDPOINT`, false for AWS). */
  forcePathStyle: boolean;
  /** `S3_PREFIX`: prefix of every object name, e.g. `aethercdn/` (default none). */
  prefix: string;
  /** `S3_PART_SIZE_MB`: multipart part size (default 8, at least 5); an upload holds at most 3 parts in memory. */
  partSizeBytes: number;
}

/** A configuration value that cannot be used; the message names the variable. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

const GiB = 1024 ** 3;
/** Longest PUBLIC_URL: a file's `url` (this + 87 characters at most) stays within the spec's 2048. */
export const MAX_PUBLIC_URL_LENGTH = 1900;
const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

function flag(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === "") return fallback;
  if (["1", "true", "yes", "on"].includes(raw)) return true;
  if (["0", "false", "no", "off"].includes(raw)) return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}"`);
}

function origin(name: string, raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`${name} must be an absolute http(s) URL, got "${raw}"`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new ConfigError(`${name} must be an http(s) URL, got "${raw}"`);
  }
  return raw.replace(/\/+$/, "");
}

function databaseUrl(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError("DATABASE_URL must be a postgres:// URL");
  }
  if (url.protocol !== "postgres:" && url.protocol !== "postgresql:") {
    throw new ConfigError(`DATABASE_URL must be a postgres:// URL, got ${url.protocol}//…`);
  }
  return raw;
}

const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

function s3Config(env: NodeJS.ProcessEnv): S3Config | undefined {
  const bucket = env.S3_BUCKET?.trim();
  const others = ["S3_ENDPOINT", "S3_PREFIX", "S3_FORCE_PATH_STYLE", "S3_REGION", "S3_PART_SIZE_MB"].filter((name) => env[name]?.trim());
  if (!bucket) {
    if (others.length > 0) throw new ConfigError(`${others.join(", ")} ${others.length === 1 ? "is" : "are"} set but S3_BUCKET is not; set S3_BUCKET to store files in S3`);
    return undefined;
  }
  if (!BUCKET_NAME.test(bucket)) throw new ConfigError(`S3_BUCKET must be a bucket name (3-63 of a-z, 0-9, ".", "-"), got "${bucket}"`);
  const rawEndpoint = env.S3_ENDPOINT?.trim();
  const endpoint = rawEndpoint ? origin("S3_ENDPOINT", rawEndpoint) : undefined;
  const prefix = env.S3_PREFIX?.trim() ?? "";
  if (prefix.startsWith("/") || prefix.length > 200 || /[^A-Za-z0-9!_.*'()\/-]/.test(prefix)) {
    throw new ConfigError(`S3_PREFIX must be up to 200 of A-Z a-z 0-9 ! _ . * ' ( ) - / and not start with "/", got "${prefix}"`);
  }
  return {
    bucket,
    endpoint,
    region: env.S3_REGION?.trim() || env.AWS_REGION?.trim() || "us-east-1",
    forcePathStyle: flag(env, "S3_FORCE_PATH_STYLE", endpoint !== undefined),
    prefix: prefix === "" || prefix.endsWith("/") ? prefix : `${prefix}/`,
    partSizeBytes: integer(env, "S3_PART_SIZE_MB", 8, 5, 5_120) * 1024 * 1024,
  };
}

/** Reads the configuration from `env` (default `process.env`). Throws {@link ConfigError}. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const port = integer(env, "PORT", 8080, 0, 65535);
  const host = env.HOST?.trim() || "127.0.0.1";
  const logLevel = env.LOG_LEVEL?.trim() || "info";
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(", ")}, got "${logLevel}"`);
  }
  const urlHost = host.includes(":") ? `[${host}]` : host;
  const publicUrl = env.PUBLIC_URL?.trim()
    ? origin("PUBLIC_URL", env.PUBLIC_URL.trim())
    : `http://${urlHost}:${port}`;
  // Each file's `url` is this origin + `/api/v1/files/<id>/download`, at most 2048 characters (the spec's bound).
  if (publicUrl.length > MAX_PUBLIC_URL_LENGTH) {
    throw new ConfigError(`PUBLIC_URL must be at most ${MAX_PUBLIC_URL_LENGTH} characters, got ${publicUrl.length}`);
  }
  const corsOrigins = (env.CORS_ORIGINS ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)
    .map((o) => (o === "*" ? o : origin("CORS_ORIGINS", o)));
  return {
    port,
    host,
    dataDir: env.DATA_DIR?.trim() || "./data",
    publicUrl,
    maxUploadBytes: integer(env, "MAX_UPLOAD_BYTES", 5 * GiB, 0, Number.MAX_SAFE_INTEGER),
    rateLimitPerMinute: integer(env, "RATE_LIMIT_PER_MINUTE", 600, 1, 1_000_000_000),
    corsOrigins,
    logLevel,
    validateResponses: flag(env, "VALIDATE_RESPONSES", env.NODE_ENV !== "production"),
    rateLimitUnauthenticatedPerMinute: integer(env, "RATE_LIMIT_UNAUTHENTICATED_PER_MINUTE", 120, 1, 1_000_000_000),
    requestIdleTimeoutSeconds: integer(env, "REQUEST_IDLE_TIMEOUT_SECONDS", 30, 1, 86_400),
    headersTimeoutSeconds: integer(env, "HEADERS_TIMEOUT_SECONDS", 20, 1, 3_600),
    keepAliveTimeoutSeconds: integer(env, "KEEP_ALIVE_TIMEOUT_SECONDS", 5, 1, 3_600),
    maxConnectionsPerAddress: integer(env, "MAX_CONNECTIONS_PER_ADDRESS", 128, 1, 1_000_000),
    maxDownloadsPerKey: integer(env, "MAX_DOWNLOADS_PER_KEY", 16, 1, 1_000_000),
    maxUploadsPerKey: integer(env, "MAX_UPLOADS_PER_KEY", 8, 1, 1_000_000),
    minFreeBytes: integer(env, "MIN_FREE_BYTES", GiB, 0, Number.MAX_SAFE_INTEGER),
    databaseUrl: databaseUrl(env.DATABASE_URL?.trim()),
    databasePoolMax: integer(env, "DATABASE_POOL_MAX", 10, 1, 1000),
    s3: s3Config(env),
  };
}

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
}

/** A configuration value that cannot be used; the message names the variable. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

const GiB = 1024 ** 3;
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
  };
}

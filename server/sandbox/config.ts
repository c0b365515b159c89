/**
 * The sandbox's configuration: the reference server's (server/config.ts, same variables, same
 * checks) with other defaults and a few things fixed:
 * - `SANDBOX_PORT` (default 4011) and `SANDBOX_HOST` (default 127.0.0.1) instead of PORT/HOST, so
 *   a shell set up for `npm start` does not move it;
 * - DATA_DIR is always a new temp dir, DATABASE_URL and PUBLIC_URL are ignored;
 * - CORS is open to any origin;
 * - no rate limit and no free-space reserve unless asked: `RATE_LIMIT_PER_MINUTE`,
 *   `RATE_LIMIT_UNAUTHENTICATED_PER_MINUTE` and `MIN_FREE_BYTES` apply as in `npm start` when set.
 */
import { ConfigError, loadConfig, type ServerConfig } from "../config.js";

/** `SANDBOX_PORT` when unset. */
export const DEFAULT_SANDBOX_PORT = 4011;
/** The "no limit" rate: a billion requests a minute. */
const UNLIMITED = "1000000000";

/** Reads the sandbox's configuration from `env`, with its data in `dataDir`. Throws `ConfigError`. */
export function loadSandboxConfig(env: NodeJS.ProcessEnv, dataDir: string): ServerConfig {
  const rawPort = env.SANDBOX_PORT?.trim();
  const port = rawPort ? Number(rawPort) : DEFAULT_SANDBOX_PORT;
  if (!Number.isSafeInteger(port) || port < 0 || port > 65535) throw new ConfigError(`SANDBOX_PORT must be an integer from 0 to 65535, got "${rawPort}"`);
  const {
    PORT: _port,
    HOST: _host,
    DATA_DIR: _dataDir,
    DATABASE_URL: _databaseUrl,
    PUBLIC_URL: _publicUrl,
    CORS_ORIGINS: _cors,
    ...rest
  } = env;
  return loadConfig({
    ...rest,
    PORT: String(port),
    HOST: env.SANDBOX_HOST?.trim() || "127.0.0.1",
    DATA_DIR: dataDir,
    CORS_ORIGINS: "*",
    RATE_LIMIT_PER_MINUTE: env.RATE_LIMIT_PER_MINUTE?.trim() || UNLIMITED,
    RATE_LIMIT_UNAUTHENTICATED_PER_MINUTE: env.RATE_LIMIT_UNAUTHENTICATED_PER_MINUTE?.trim() || UNLIMITED,
    MIN_FREE_BYTES: env.MIN_FREE_BYTES?.trim() || "0",
  });
}

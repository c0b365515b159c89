/**
 * The reference server's entry point, and the only module with side effects: environment →
 * config → the data dir's lock → storage (with the start-up sweep, only under the lock) → app →
 * listen. SIGTERM/SIGINT stop accepting, let in-flight requests finish, then close the
 * database. A start-up failure is one line on stderr with a hint, and exit code 1.
 */
import type { AddressInfo } from "node:net";
import { pino } from "pino";
import { createApp } from "./app.js";
import { ensureInitialKey } from "./bootstrap.js";
import { ConfigError, loadConfig, type ServerConfig } from "./config.js";
import { createHttpServer } from "./http/httpServer.js";
import { PostgresRateLimitStore } from "./http/postgresRateLimitStore.js";
import { UsageRecorder } from "./http/usage.js";
import { DataDirLockedError, StorageStartError, openConfiguredStorage } from "./storage/open.js";

const SHUTDOWN_GRACE_MS = 30_000;

async function main(): Promise<void> {
  const config = loadConfig();
  const log = pino({ level: config.logLevel });
  const opened = await openConfiguredStorage(config, log);
  const { storage } = opened;
  const swept = await opened.sweep();
  if (swept.removedTemp + swept.removedOrphans > 0) log.warn(swept, "removed leftovers of an interrupted run");
  const usage = new UsageRecorder(storage.metadata, { log });
  const sql = opened.sql;
  const app = createApp(config, storage, {
    logger: log,
    usage,
    ...(sql && { rateLimitStore: (prefix: string) => new PostgresRateLimitStore(sql, prefix) }),
  });
  const server = createHttpServer(config);
  server.on("request", app);
  await listen(server, config);
  // Only once the server listens: a start that fails (port in use) must not create a key it never shows.
  const initial = await ensureInitialKey(storage);
  const { port } = server.address() as AddressInfo;
  const origin = `http://${config.host.includes(":") ? `[${config.host}]` : config.host}:${port}`;
  // PORT=0 picks a free port: file URLs must name the real one, not :0.
  if (config.port === 0 && !process.env.PUBLIC_URL?.trim()) config.publicUrl = origin;
  log.info({ url: origin, dataDir: config.dataDir }, "listening");
  const lines = [
    `AetherCDN reference server on ${origin}`,
    `  API   ${origin}/api/v1   (files: ${config.publicUrl}/api/v1/files)`,
    `  Docs  ${origin}/docs/`,
    `  Data  ${dataLine(config, opened.mode)}`,
  ];
  if (initial) {
    lines.push(
      "",
      "First start: created user \"default\" and an API key with every scope.",
      "It is shown only this once; store it now (manage keys with `npm run keys`):",
      "",
      `  export AETHER_BASE_URL=${origin} AETHER_API_KEY=${initial.secret}`,
      `  curl -H "Authorization: Bearer $AETHER_API_KEY" "$AETHER_BASE_URL/api/v1/files?limit=10"`,
    );
  }
  process.stdout.write(`${lines.join("\n")}\n`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "shutting down");
    const force = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS).unref();
    server.close(() => {
      clearTimeout(force);
      usage
        .close()
        .then(() => opened.close())
        .then(
        () => process.exit(0),
        (err: unknown) => {
          log.error({ err }, "database close failed");
          process.exit(1);
        },
      );
    });
    server.closeIdleConnections();
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}

/** Where metadata and bytes live, for the banner. */
function dataLine(config: ServerConfig, mode: "embedded" | "postgres"): string {
  const metadata = mode === "postgres" ? "metadata in PostgreSQL (DATABASE_URL)" : `metadata in ${config.dataDir}`;
  const bytes = config.s3 ? `files in s3://${config.s3.bucket}/${config.s3.prefix}${config.s3.endpoint ? ` at ${config.s3.endpoint}` : ""}` : `files in ${config.dataDir}`;
  return `${metadata}, ${bytes}`;
}

/** A start-up failure whose message already says what to do. */
class StartError extends Error {}

/** PostgreSQL start-up errors are already one line naming host, port and database. */
function isOneLine(err: unknown): err is Error {
  return err instanceof Error && /PostgreSQL/.test(err.message) && !err.message.includes("\n");
}

function listen(server: ReturnType<typeof createHttpServer>, config: ServerConfig): Promise<void> {
  return new Promise<void>((done, fail) => {
    server.once("listening", done);
    server.once("error", (err: NodeJS.ErrnoException) => {
      const where = `${config.host}:${config.port}`;
      if (err.code === "EADDRINUSE") fail(new StartError(`port ${config.port} on ${config.host} is already in use; stop what holds it or set PORT`));
      else if (err.code === "EACCES") fail(new StartError(`no permission to listen on ${where}; use a PORT above 1023`));
      else if (err.code === "EADDRNOTAVAIL") fail(new StartError(`HOST ${config.host} is not an address of this machine; set HOST`));
      else fail(err);
    });
    server.listen(config.port, config.host);
  });
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError || err instanceof StartError || err instanceof DataDirLockedError || err instanceof StorageStartError || isOneLine(err)) {
    process.stderr.write(`aethercdn: ${err.message}\n`);
  } else {
    const e = err as NodeJS.ErrnoException;
    const detail = e.code ? `${e.code}: ${e.message}` : e instanceof Error ? e.message : String(err);
    process.stderr.write(`aethercdn: could not start: ${detail}\n`);
  }
  process.exit(1);
});

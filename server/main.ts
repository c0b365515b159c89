/**
 * The reference server's entry point, and the only module with side effects: environment →
 * config → storage (with the start-up sweep) → app → listen. SIGTERM/SIGINT stop accepting,
 * let in-flight requests finish, then close the database.
 */
import type { AddressInfo } from "node:net";
import { pino } from "pino";
import { createApp } from "./app.js";
import { ensureInitialKey, sweepLeftovers } from "./bootstrap.js";
import { ConfigError, loadConfig } from "./config.js";
import { openEmbeddedStorage } from "./storage/index.js";

const SHUTDOWN_GRACE_MS = 30_000;

async function main(): Promise<void> {
  const config = loadConfig();
  const log = pino({ level: config.logLevel });
  const storage = await openEmbeddedStorage(config.dataDir);
  const swept = await sweepLeftovers(storage);
  if (swept.removedTemp + swept.removedOrphans > 0) log.warn(swept, "removed leftovers of an interrupted run");
  const initial = await ensureInitialKey(storage);
  const app = createApp(config, storage, { logger: log });
  const server = app.listen(config.port, config.host);
  await new Promise<void>((resolve, reject) => {
    server.once("listening", resolve);
    server.once("error", reject);
  });
  server.requestTimeout = 0;
  server.headersTimeout = 60_000;
  const { port } = server.address() as AddressInfo;
  const origin = `http://${config.host.includes(":") ? `[${config.host}]` : config.host}:${port}`;
  // PORT=0 picks a free port: file URLs must name the real one, not :0.
  if (config.port === 0 && !process.env.PUBLIC_URL?.trim()) config.publicUrl = origin;
  log.info({ url: origin, dataDir: config.dataDir }, "listening");
  const lines = [
    `AetherCDN reference server on ${origin}`,
    `  API   ${origin}/api/v1   (files: ${config.publicUrl}/api/v1/files)`,
    `  Docs  ${origin}/docs/`,
    `  Data  ${config.dataDir}`,
  ];
  if (initial) {
    lines.push(
      "",
      "First start: created user \"default\" and an API key with every scope.",
      "It is shown only this once; store it now (manage keys with `npx aether keys`):",
      "",
      `  export YOUR_API_KEY=${initial.secret}`,
      `  curl -H "Authorization: Bearer $YOUR_API_KEY" "${origin}/api/v1/files?limit=10"`,
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
      storage.metadata.close().then(
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

main().catch((err: unknown) => {
  if (err instanceof ConfigError) {
    process.stderr.write(`aethercdn: ${err.message}\n`);
  } else {
    process.stderr.write(`aethercdn: could not start: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  }
  process.exit(1);
});

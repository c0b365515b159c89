/**
 * Starts the sandbox in this process (server/sandbox/main.ts and the tests use it): a temp root,
 * the seed read from the bundled spec, the reference server's app (`createApp`, same validation,
 * same handlers) on the seeded storage with the sandbox's extensions — `/__sandbox/reset`, the
 * `Prefer` scenarios, `Prefer` allowed by CORS — on the reference server's HTTP server
 * (`createHttpServer`, same connection limits). `close()` stops it and deletes the temp root.
 */
import { mkdtemp, rm } from "node:fs/promises";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino, type Logger } from "pino";
import { createApp } from "../app.js";
import type { ServerConfig } from "../config.js";
import { createHttpServer } from "../http/httpServer.js";
import { UsageRecorder } from "../http/usage.js";
import { loadBundledSpec } from "../spec.js";
import { loadSandboxConfig } from "./config.js";
import { sandboxRoutes } from "./routes.js";
import { SandboxStorage } from "./sandboxStorage.js";
import { preferScenarios } from "./scenarios.js";
import type { TenantSummary } from "./seed.js";
import { seedPlanFromSpec, type SeedPlan } from "./seedPlan.js";
import { SANDBOX_KEYS, sandboxTenants } from "./tenants.js";

/** Options of {@link startSandbox}. */
export interface SandboxOptions {
  /** Where the settings come from (default `process.env`); see ./config.ts. */
  env?: NodeJS.ProcessEnv;
  /** Logger (default pino at `LOG_LEVEL`). */
  logger?: Logger;
  /** How often key use and bandwidth are written (default 1000 ms). */
  usageFlushMs?: number;
}

/** A running sandbox. */
export interface RunningSandbox {
  /** `http://host:port`, no trailing slash. */
  baseUrl: string;
  /** The temp dir holding the data (deleted by `close()`). */
  root: string;
  config: ServerConfig;
  /** The fixed keys. */
  keys: typeof SANDBOX_KEYS;
  /** What the main tenant was seeded with, from the spec. */
  plan: SeedPlan;
  /** What each tenant holds after the last seeding. */
  seeded(): TenantSummary[];
  /** Restores the seeded state (what `POST /__sandbox/reset` does). */
  reset(): Promise<TenantSummary[]>;
  /** Stops listening, closes the store and deletes `root`. Idempotent. */
  close(): Promise<void>;
}

function listen(server: Server, config: ServerConfig): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.port, config.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
}

/** Starts a sandbox; see the module comment. Cleans up after itself when it fails to start. */
export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  const root = await mkdtemp(join(tmpdir(), "aether-sandbox-"));
  let storage: SandboxStorage | undefined;
  let usage: UsageRecorder | undefined;
  let http: Server | undefined;
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      if (http?.listening) {
        http.closeAllConnections();
        await new Promise<void>((resolve) => http!.close(() => resolve()));
      }
      await usage?.close().catch(() => undefined);
      await storage?.close().catch(() => undefined);
      await rm(root, { recursive: true, force: true });
    })());
  try {
    const config = loadSandboxConfig(options.env ?? process.env, root);
    const log = options.logger ?? pino({ level: config.logLevel });
    const spec = loadBundledSpec();
    const plan = seedPlanFromSpec(spec);
    storage = await SandboxStorage.open(root, sandboxTenants(plan));
    const seeded = storage;
    usage = new UsageRecorder(seeded.storage.metadata, { log, flushMs: options.usageFlushMs ?? 1000 });
    const recorder = usage;
    const reset = () => seeded.reset(() => recorder.flush());
    const app = createApp(config, seeded.storage, {
      logger: log,
      usage,
      extensions: {
        routes: sandboxRoutes(reset),
        afterAuthorize: preferScenarios(spec, seeded.storage),
        corsRequestHeaders: ["Prefer"],
      },
    });
    http = createHttpServer(config);
    http.on("request", app);
    await listen(http, config);
    const { port } = http.address() as AddressInfo;
    const baseUrl = `http://${config.host.includes(":") ? `[${config.host}]` : config.host}:${port}`;
    // The app reads `publicUrl` per request: with SANDBOX_PORT=0 it must name the real port.
    config.publicUrl = baseUrl;
    return { baseUrl, root, config, keys: SANDBOX_KEYS, plan, seeded: () => seeded.summary, reset, close };
  } catch (err) {
    await close();
    throw err;
  }
}

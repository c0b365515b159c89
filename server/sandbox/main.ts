/**
 * `npm run sandbox`: the reference server as a stateful, seeded, disposable API for frontend work.
 *
 * Design:
 * - Same app, same validation: `createApp` from server/app.ts and `createHttpServer` from
 *   server/http/httpServer.ts, unchanged. What the sandbox adds goes through `AppOptions.extensions`
 *   (which `npm start` never passes): the `/__sandbox/reset` route before the API gate, the
 *   `Prefer: code=N` / `Prefer: delay=MS` scenarios after authorisation, and `Prefer` in CORS.
 * - Throwaway data: SQLite and blobs in a new temp dir, deleted when the process ends (SIGINT,
 *   SIGTERM, SIGHUP, or any exit), never a DATA_DIR or DATABASE_URL of the environment.
 * - Seeded from openapi.yaml's examples at every start and reset (./seedPlan.ts): every file,
 *   folder and id the examples and code samples show exists, with bytes of the declared size and
 *   type (./content.ts). The ids and timestamps are the examples' own, written through the store's
 *   normal write path with a scripted id generator and clock (./seed.ts).
 * - Fixed keys (./tenants.ts), the same on every start, printed in the banner and in README.
 * - Open CORS, no rate limit unless asked, 127.0.0.1:4011 unless `SANDBOX_PORT`/`SANDBOX_HOST`
 *   (./config.ts).
 */
import { rmSync } from "node:fs";
import { ConfigError } from "../config.js";
import { MAX_DELAY_MS } from "./scenarios.js";
import { startSandbox, type RunningSandbox } from "./start.js";

function banner(sandbox: RunningSandbox, startedMs: number): string {
  const { baseUrl, keys } = sandbox;
  const [main, other] = sandbox.seeded();
  const tenant = (t: typeof main) => (t ? `${t.files} files, ${t.folders} folders` : "nothing");
  return [
    `AetherCDN sandbox on ${baseUrl}   (ready in ${Math.round(startedMs)} ms; throwaway data, deleted on exit)`,
    `  API     ${baseUrl}/api/v1`,
    `  Docs    ${baseUrl}/docs/`,
    `  Seeded  from openapi.yaml's examples: user "demo" ${tenant(main)}; user "other" ${tenant(other)}`,
    `  Reset   curl -X POST ${baseUrl}/__sandbox/reset`,
    "",
    "  Keys (fixed, the same on every start):",
    `    every scope            ${keys.full}`,
    `    files:read only        ${keys.readOnly}`,
    `    second tenant "other"  ${keys.secondTenant}`,
    `    revoked (401)          ${keys.revoked}`,
    "",
    `  export AETHER_BASE_URL=${baseUrl} AETHER_API_KEY=${keys.full}`,
    `  curl -H "Authorization: Bearer $AETHER_API_KEY" "$AETHER_BASE_URL/api/v1/files?limit=10"`,
    "",
    `  Scenarios: -H "Prefer: code=404" answers any error the operation declares; -H "Prefer: delay=2000" waits (ms, up to ${MAX_DELAY_MS}).`,
    "",
  ].join("\n");
}

async function main(): Promise<void> {
  const sandbox = await startSandbox();
  // Whatever ends the process, the temp dir goes with it.
  process.on("exit", () => rmSync(sandbox.root, { recursive: true, force: true }));
  process.stdout.write(banner(sandbox, performance.now()));
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\n${signal}: stopping the sandbox and deleting its data\n`);
    sandbox.close().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`aethercdn sandbox: ${err instanceof Error ? err.message : String(err)}\n`);
        process.exit(1);
      },
    );
  };
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, () => stop(signal));
}

main().catch((err: unknown) => {
  const e = err as NodeJS.ErrnoException;
  const port = process.env.SANDBOX_PORT?.trim() || "4011";
  const message =
    err instanceof ConfigError
      ? err.message
      : e.code === "EADDRINUSE"
        ? `port ${port} is already in use; stop what holds it or set SANDBOX_PORT`
        : e.code === "EADDRNOTAVAIL"
          ? `SANDBOX_HOST ${process.env.SANDBOX_HOST ?? ""} is not an address of this machine`
          : `could not start: ${e.code ? `${e.code}: ` : ""}${e instanceof Error ? e.message : String(err)}`;
  process.stderr.write(`aethercdn sandbox: ${message}\n`);
  process.exit(1);
});

#!/usr/bin/env node
// Runs the Prism mock server for openapi.yaml (static examples; no network access needed).
//
//   npm run mock                      listens on http://127.0.0.1:4010
//   MOCK_PORT=5000 npm run mock       another port (MOCK_HOST overrides 127.0.0.1)
//   npm run mock -- --errors          extra arguments are passed to `prism mock`
//
// Paths in openapi.yaml carry the full /api/v1 prefix, so the mock answers the same URLs as the
// real server: http://127.0.0.1:4010/api/v1/files ...
// Select responses with `Prefer: code=404` or `Prefer: example=<name>`.
// SIGINT/SIGTERM/SIGHUP are forwarded to Prism; this process exits with Prism's exit code.
import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const prismBin = path.join(root, "node_modules", "@stoplight", "prism-cli", "dist", "index.js");
const specPath = path.join(root, "openapi.yaml");
const host = process.env.MOCK_HOST || "127.0.0.1";
const port = process.env.MOCK_PORT || "4010";

if (!/^\d+$/.test(port) || Number(port) > 65535) {
  console.error(`mock: MOCK_PORT must be a port number, got "${port}"`);
  process.exit(2);
}

const child = spawn(
  process.execPath,
  [prismBin, "mock", specPath, "-h", host, "-p", port, ...process.argv.slice(2)],
  { cwd: root, stdio: "inherit" },
);

console.log(`mock: Prism mock of openapi.yaml listening on http://${host}:${port} (e.g. http://${host}:${port}/api/v1/health)`);

for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(signal, () => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  });
}

child.on("error", (err) => {
  console.error(`mock: cannot start Prism: ${err.message}`);
  process.exit(1);
});

child.on("exit", (code, signal) => {
  if (signal) {
    // Re-raise so our parent sees the same termination signal.
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
    return;
  }
  process.exit(code ?? 1);
});

/** Small helpers to run the project's Node CLIs (redocly, scripts/*.js) from tests. */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { REPO_ROOT } from "./openapi-oracle.js";

export const REDOCLY_BIN = path.join(REPO_ROOT, "node_modules", "@redocly", "cli", "bin", "cli.js");
export const SPEC_FILE = path.join(REPO_ROOT, "openapi.yaml");
export const REDOCLY_CONFIG = path.join(REPO_ROOT, "redocly.yaml");
export const DOCS_DIR = path.join(REPO_ROOT, "docs");

/** Offline, quiet Redocly: no telemetry, no update check, no colours. */
export const REDOCLY_ENV: NodeJS.ProcessEnv = {
  ...process.env,
  REDOCLY_TELEMETRY: "off",
  REDOCLY_SUPPRESS_UPDATE_NOTICE: "true",
  NO_COLOR: "1",
  FORCE_COLOR: "0",
};

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `node <args>` in the repo root and resolves with its exit code and output (never rejects on exit code). */
export function runNode(args: string[], env: NodeJS.ProcessEnv = REDOCLY_ENV, timeoutMs = 120_000): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      args,
      { cwd: REPO_ROOT, env, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024, encoding: "utf8" },
      (err, stdout, stderr) => {
        if (err && typeof err.code !== "number") return reject(err);
        resolve({ code: err ? (err.code as number) : 0, stdout, stderr });
      },
    );
  });
}

/** Drops Redocly's boxed Node-version banner from output shown in assertion messages. */
export function withoutBanner(text: string): string {
  return text
    .split("\n")
    .filter((l) => !/[║╔╚]/.test(l))
    .join("\n")
    .trim();
}

/** A TCP port that was free a moment ago (listen on 0, read the port, close). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      if (addr === null || typeof addr === "string") return reject(new Error("no port"));
      srv.close(() => resolve(addr.port));
    });
  });
}

export function specExists(): boolean {
  return existsSync(SPEC_FILE);
}

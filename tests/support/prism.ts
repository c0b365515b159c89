/**
 * Prism for tests: the mock as users start it (`npm run mock` → scripts/mock.js, Prism behind the
 * script's key check), or a validating proxy (`prism proxy --errors`). Each runs in its own
 * process group, so `close()` stops the script and Prism together.
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { REPO_ROOT } from "./openapi-oracle.js";
import { freePort } from "./processes.js";

/** A running Prism. */
export interface PrismProcess {
  baseUrl: string;
  /** What the process printed so far (stdout and stderr). */
  output(): string;
  close(): Promise<void>;
}

/** Starts `npm run mock`'s script, or `prism proxy openapi.yaml <upstream> --errors`. */
export async function startPrism(mode: { script: true } | { proxy: string }): Promise<PrismProcess> {
  const port = await freePort();
  const bin = path.join(REPO_ROOT, "node_modules", ".bin", "prism");
  const spec = path.join(REPO_ROOT, "openapi.yaml");
  const [command, args] =
    "script" in mode
      ? [process.execPath, [path.join(REPO_ROOT, "scripts", "mock.js")]]
      : [bin, ["proxy", spec, mode.proxy, "--errors", "-h", "127.0.0.1", "-p", String(port)]];
  const child: ChildProcess = spawn(command, args, {
    cwd: REPO_ROOT,
    env: { ...process.env, MOCK_PORT: String(port) },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`prism exited early:\n${output}`);
    try {
      await fetch(`${baseUrl}/api/v1/health`, { signal: AbortSignal.timeout(1000) });
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`prism did not start within 60 s:\n${output}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  return {
    baseUrl,
    output: () => output,
    close: async () => {
      if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
      const pid = child.pid;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      const signal = (name: NodeJS.Signals) => {
        try {
          process.kill(-pid, name);
        } catch {
          // already gone
        }
      };
      signal("SIGTERM");
      const timer = setTimeout(() => signal("SIGKILL"), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Prism as a conformance target: the mock (`prism mock`) or a validating proxy (`prism proxy --errors`). */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { REPO_ROOT } from "../support/openapi-oracle.js";
import { freePort } from "../support/processes.js";

/** A running Prism. */
export interface PrismProcess {
  baseUrl: string;
  close(): Promise<void>;
}

/** Starts `prism mock openapi.yaml`, or `prism proxy openapi.yaml <upstream> --errors`. */
export async function startPrism(mode: { mock: true } | { proxy: string }): Promise<PrismProcess> {
  const port = await freePort();
  const bin = path.join(REPO_ROOT, "node_modules", ".bin", "prism");
  const spec = path.join(REPO_ROOT, "openapi.yaml");
  const args =
    "mock" in mode
      ? ["mock", spec, "-h", "127.0.0.1", "-p", String(port)]
      : ["proxy", spec, mode.proxy, "--errors", "-h", "127.0.0.1", "-p", String(port)];
  const child: ChildProcess = spawn(bin, args, { cwd: REPO_ROOT, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`prism exited early:\n${output}`);
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
    close: async () => {
      if (child.exitCode !== null || child.pid === undefined) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      try {
        process.kill(-child.pid, "SIGTERM");
      } catch {
        // already gone
      }
      await exited;
    },
  };
}

/**
 * The real entry point (server/main.ts, what `npm start` runs through tsx) as a child process on
 * a given DATA_DIR, with PORT=0: the URL is read from the banner it prints.
 *
 * It runs as `node --import tsx server/main.ts`, one process. The `tsx` CLI would be a wrapper
 * process that relays signals to the real server in a child: a SIGKILL would kill only the
 * wrapper and leave the server running as an orphan, which is no crash at all.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { REPO_ROOT } from "./openapi-oracle.js";


/** A running `server/main.ts`. */
export interface ServerProcess {
  child: ChildProcess;
  /** `http://127.0.0.1:PORT`. */
  baseUrl: string;
  /** Everything printed to stdout so far (banner, then pino lines). */
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code and signal once the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** The environment of a user's shell with nothing set for the server: only `PATH` and `HOME`. */
export function bareEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: process.env.HOME, ...extra };
}

/**
 * Starts the server and resolves once it listens (rejects if it exits or takes over `timeoutMs`).
 * By default it inherits the test's environment with test settings (`PORT=0`, `LOG_LEVEL=warn`,
 * `NODE_ENV=test`); `bare: true` gives it only `PATH`, `HOME`, `DATA_DIR` and `env`: every other
 * setting is the server's default, as after `npm start` in a fresh shell.
 */
export function spawnServer(dataDir: string, env: NodeJS.ProcessEnv = {}, timeoutMs = 30_000, options: { bare?: boolean } = {}): Promise<ServerProcess> {
  const base = options.bare ? bareEnv() : { ...process.env, NODE_ENV: "test", HOST: "127.0.0.1", PORT: "0", LOG_LEVEL: "warn" };
  const child = spawn(process.execPath, ["--import", "tsx", "server/main.ts"], {
    cwd: REPO_ROOT,
    env: { ...base, DATA_DIR: dataDir, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout!.setEncoding("utf8").on("data", (c: string) => (out += c));
  child.stderr!.setEncoding("utf8").on("data", (c: string) => (err += c));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`server did not start in ${timeoutMs} ms\nstdout: ${out}\nstderr: ${err}`));
    }, timeoutMs);
    const onData = () => {
      const m = /AetherCDN reference server on (http:\/\/[^\s]+)/.exec(out);
      if (!m) return;
      clearTimeout(timer);
      child.stdout!.off("data", onData);
      // The banner is written in one call: give it a moment to arrive whole.
      setTimeout(() => resolve({ child, baseUrl: m[1]!, stdout: () => out, stderr: () => err, exited }), 50);
    };
    child.stdout!.on("data", onData);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code ?? signal}) before listening\nstdout: ${out}\nstderr: ${err}`));
    });
  });
}

/** Every API key (`ak_…`) printed in `text`. */
export function printedKeys(text: string): string[] {
  return [...text.matchAll(/\bak_[A-Za-z0-9]{29,61}\b/g)].map((m) => m[0]);
}

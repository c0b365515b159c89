/** Shared plumbing of the API commands: the client from flags/env, output modes, progress bars. */
import { SingleBar } from "cli-progress";
import type { Command } from "commander";
import { formatBytes } from "../humanSize.js";
import { createAetherClient, type AetherNodeClient, type TransferProgress } from "../node.js";

/** Global options of the API commands. */
export interface ApiOptions {
  baseUrl: string;
  apiKey?: string;
  json?: boolean;
}

/** Adds `--base-url`, `--api-key` and `--json` to a command group. */
export function withApiOptions(command: Command): Command {
  return command
    .option("--base-url <url>", "API origin (env AETHER_BASE_URL)", process.env.AETHER_BASE_URL ?? "http://127.0.0.1:8080")
    // No default value here: commander would print it in --help, and a key is a secret.
    .option("--api-key <key>", "API key (env AETHER_API_KEY)")
    .option("--json", "print JSON instead of tables; no progress bars");
}

/** The client for a command, from its group's options. */
export function clientFor(command: Command): { client: AetherNodeClient; options: ApiOptions } {
  const options = command.optsWithGlobals<ApiOptions>();
  options.apiKey ??= process.env.AETHER_API_KEY?.trim() || undefined;
  if (!options.apiKey) throw new Error("no API key: pass --api-key or set AETHER_API_KEY");
  return { client: createAetherClient({ baseUrl: options.baseUrl, apiKey: options.apiKey }), options };
}

/** Writes a line to stdout. */
export function out(text: string): void {
  process.stdout.write(`${text}\n`);
}

/** Prints `value` as JSON. */
export function printJson(value: unknown): void {
  out(JSON.stringify(value, null, 2));
}

/** Human size, e.g. `1.0 MB`. */
export const size = formatBytes;

/**
 * A progress bar on stderr when it is a terminal and output is not JSON; otherwise a no-op.
 * Returns the `onProgress` callback and a `stop` function.
 */
export function progressBar(label: string, total: number | undefined, json: boolean | undefined) {
  if (json || !process.stderr.isTTY) return { onProgress: undefined, stop: () => undefined };
  const bar = new SingleBar(
    {
      stream: process.stderr,
      format: `${label} [{bar}] {percentage}% {done}/{all}`,
      hideCursor: true,
      clearOnComplete: false,
    },
  );
  let started = false;
  return {
    onProgress: (p: TransferProgress) => {
      const all = p.total ?? total;
      if (!started) {
        bar.start(all ?? 0, 0, { done: size(0), all: all === undefined ? "?" : size(all) });
        started = true;
      }
      bar.update(p.loaded, { done: size(p.loaded), all: all === undefined ? "?" : size(all) });
    },
    stop: () => {
      if (started) bar.stop();
    },
  };
}

/**
 * The one input of the conformance suite: a target (base URL + keys). By default the reference
 * server is started in-process on a temp DATA_DIR; `AETHER_BASE_URL` + `AETHER_API_KEY` (and
 * optionally `AETHER_API_KEY_2` for a second tenant, `AETHER_API_KEY_READONLY` for a key with only
 * `files:read`, `AETHER_API_KEY_REVOKED` for a revoked key, `AETHER_MAX_UPLOAD_BYTES` for the
 * upload limit) name any deployment instead. The suite itself only speaks HTTP.
 */
import { startServer, type StartOptions } from "../support/server.js";

/** Keys the suite may use; absent keys make the checks that need them skip with a reason. */
export interface TargetKeys {
  /** Every scope (`files:read`, `files:write`, `user:read`). Required. */
  main: string;
  /** Every scope, another user (tenant isolation). */
  second?: string;
  /** Keys that lack some scope, by the scopes they hold (comma list, e.g. `files:read`). */
  limited: Record<string, string>;
  /** A revoked key of the main user. */
  revoked?: string;
}

/** A deployment under test. */
export interface Target {
  /** Shown in the report. */
  name: string;
  /** `reference` (in-process), `remote` (from the environment), `mock` (Prism) or `proxy` (Prism proxy in front of a server). */
  kind: "reference" | "remote" | "mock" | "proxy";
  /** Origin, no trailing slash (paths carry `/api/v1`). */
  baseUrl: string;
  keys: TargetKeys;
  /** False for a stateless mock: ids are not real and nothing persists. */
  stateful: boolean;
  /** The target's upload limit, when known (enables the oversized-upload case). */
  maxUploadBytes?: number;
  /** Releases what the target started. */
  close(): Promise<void>;
}

/** Upload limit of the in-process reference target (small, so `413` is cheap to reach). */
export const REFERENCE_MAX_UPLOAD = 256 * 1024;

/** Starts the reference server in-process with a rate limit the suite will not reach. */
export async function referenceTarget(overrides: Record<string, unknown> = {}, options: StartOptions = {}): Promise<Target & { storageDir: string }> {
  const srv = await startServer({ maxUploadBytes: REFERENCE_MAX_UPLOAD, rateLimitPerMinute: 1_000_000, ...overrides }, options);
  return {
    name: `reference server (in-process, ${srv.baseUrl})`,
    kind: "reference",
    baseUrl: srv.baseUrl,
    keys: {
      main: srv.keys.full,
      second: srv.keys.otherTenant,
      limited: { "files:read": srv.keys.readOnly, "files:write": srv.keys.writeOnly, "user:read": srv.keys.statsOnly },
      revoked: srv.revokedKey,
    },
    stateful: true,
    maxUploadBytes: REFERENCE_MAX_UPLOAD,
    storageDir: srv.dataDir,
    close: () => srv.close(),
  };
}

/** The target named by the environment, or `undefined` when none is (use {@link referenceTarget}). */
export function environmentTarget(env: NodeJS.ProcessEnv = process.env): Target | undefined {
  const baseUrl = env.AETHER_BASE_URL?.trim();
  if (!baseUrl) return undefined;
  const main = env.AETHER_API_KEY?.trim();
  if (!main) throw new Error("AETHER_BASE_URL is set but AETHER_API_KEY is not: the suite needs a key with every scope");
  const limited: Record<string, string> = {};
  if (env.AETHER_API_KEY_READONLY?.trim()) limited["files:read"] = env.AETHER_API_KEY_READONLY.trim();
  const maxUpload = Number(env.AETHER_MAX_UPLOAD_BYTES);
  return {
    name: `remote ${baseUrl}`,
    kind: "remote",
    baseUrl: baseUrl.replace(/\/+$/, ""),
    keys: {
      main,
      ...(env.AETHER_API_KEY_2?.trim() && { second: env.AETHER_API_KEY_2.trim() }),
      limited,
      ...(env.AETHER_API_KEY_REVOKED?.trim() && { revoked: env.AETHER_API_KEY_REVOKED.trim() }),
    },
    stateful: true,
    ...(Number.isSafeInteger(maxUpload) && maxUpload > 0 && { maxUploadBytes: maxUpload }),
    close: async () => undefined,
  };
}

/**
 * First start on an empty data dir: one user and one key with every scope, so that `npm start`
 * followed by the seed's curl examples works with nothing else to do. Also the start-up sweep
 * of what a crash may have left (temp files of interrupted uploads, blobs without a row).
 */
import { SCOPES, issueApiKey } from "./auth/apiKeys.js";
import type { Storage, SweepResult } from "./storage/index.js";

/** Name of the user created on a fresh data dir. */
export const DEFAULT_USER = "default";

/** Creates the default user and a full-scope key when the data dir has no key at all. */
export async function ensureInitialKey(storage: Storage): Promise<{ secret: string; keyId: string } | undefined> {
  if ((await storage.metadata.listApiKeys()).length > 0) return undefined;
  const user = (await storage.metadata.getUserByName(DEFAULT_USER)) ?? (await storage.metadata.createUser(DEFAULT_USER));
  const { record, secret } = await issueApiKey(storage.metadata, user.id, SCOPES, "created on first start");
  return { secret, keyId: record.id };
}

/**
 * Removes crash leftovers. Runs before the server accepts requests, so no upload of this server
 * is in flight; one server per data dir is the supported set-up (the `aether` CLI never writes blobs).
 */
export function sweepLeftovers(storage: Storage): Promise<SweepResult> {
  return storage.blobs.sweep((key) => storage.metadata.isBlobKeyReferenced(key), { graceMs: 0 });
}

/**
 * First start on an empty data dir: one user and one key with every scope, so that `npm start`
 * followed by the seed's curl examples works with nothing else to do (the start-up sweep lives in
 * storage/open.ts, where each mode knows how safe it can be).
 */
import { SCOPES, issueApiKey } from "./auth/apiKeys.js";
import type { Storage } from "./storage/index.js";

/** Name of the user created on a fresh data dir. */
export const DEFAULT_USER = "default";

/** Creates the default user and a full-scope key when the data dir has no key at all. */
export async function ensureInitialKey(storage: Storage): Promise<{ secret: string; keyId: string } | undefined> {
  if ((await storage.metadata.listApiKeys()).length > 0) return undefined;
  const user = (await storage.metadata.getUserByName(DEFAULT_USER)) ?? (await storage.metadata.createUser(DEFAULT_USER));
  const { record, secret } = await issueApiKey(storage.metadata, user.id, SCOPES, "created on first start");
  return { secret, keyId: record.id };
}

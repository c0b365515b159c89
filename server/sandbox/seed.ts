/**
 * Writes the seed into a fresh store through the store's own write path (the same checks,
 * counters and transactions as any request): the store is opened with a scripted id generator
 * and clock (`MetadataStoreOptions.newId` / `now`), each create is preceded by the id and the time
 * it must get, and both fall back to random ids and the real clock once seeding is done.
 */
import { hashApiKey } from "../auth/apiKeys.js";
import { newId, type IdPrefix, type Storage } from "../storage/index.js";
import { sandboxContent } from "./content.js";
import { ACCOUNT_TIME, type TenantSeed } from "./tenants.js";

/** Ids for the next create: the scripted one once, else random. */
export class ScriptedIds {
  #next: string | undefined;

  /** The next id made (for the prefix `id` starts with) is `id`. */
  set(id: string): void {
    this.#next = id;
  }

  /** Back to random ids. */
  clear(): void {
    this.#next = undefined;
  }

  /** For `MetadataStoreOptions.newId`. */
  readonly newId = (prefix: IdPrefix): string => {
    const id = this.#next;
    if (id === undefined) return newId(prefix);
    if (!id.startsWith(`${prefix}_`)) throw new Error(`seeding expected a ${prefix} id, was given ${id}`);
    this.#next = undefined;
    return id;
  };
}

/** A clock that says a given time until released. */
export class ScriptedClock {
  #at: Date | undefined;

  /** Times written from now on are `iso`; undefined returns to the real clock. */
  set(iso: string | undefined): void {
    this.#at = iso === undefined ? undefined : new Date(iso);
  }

  /** For `MetadataStoreOptions.now`. */
  readonly now = (): Date => this.#at ?? new Date();
}

/** What one tenant got. */
export interface TenantSummary {
  user: string;
  files: number;
  folders: number;
  bytes: number;
}

/** Seeds `tenants` into `storage` (a store opened with `ids` and `clock`). */
export async function seedStorage(storage: Storage, ids: ScriptedIds, clock: ScriptedClock, tenants: readonly TenantSeed[]): Promise<TenantSummary[]> {
  const { metadata, blobs } = storage;
  const summary: TenantSummary[] = [];
  try {
    for (const { user, keys, plan } of tenants) {
      clock.set(ACCOUNT_TIME);
      ids.set(user.id);
      await metadata.createUser(user.name);
      for (const key of keys) {
        ids.set(key.id);
        await metadata.createApiKey({ userId: user.id, label: key.label, prefix: key.secret.slice(0, 8), hash: hashApiKey(key.secret), scopes: [...key.scopes] });
        if (key.revoked) await metadata.revokeApiKey(key.id);
      }
      for (const folder of plan.folders) {
        clock.set(folder.createdAt);
        ids.set(folder.id);
        await metadata.createFolder(user.id, { name: folder.name, parentId: folder.parentId });
      }
      let bytes = 0;
      for (const file of plan.files) {
        const blob = await blobs.write(file.content !== undefined ? [Buffer.from(file.content)] : sandboxContent(file), { maxBytes: Number.MAX_SAFE_INTEGER });
        clock.set(file.createdAt);
        ids.set(file.id);
        await metadata.createFile({
          userId: user.id,
          folderId: file.folderId,
          name: file.name,
          size: blob.size,
          mimeType: file.mimeType,
          description: file.description,
          tags: file.tags,
          sha256: blob.sha256,
          blobKey: blob.key,
        });
        if (file.updatedAt !== file.createdAt) {
          clock.set(file.updatedAt);
          await metadata.updateFile(user.id, file.id, {});
        }
        bytes += blob.size;
      }
      if (plan.bandwidthBytes > 0) await metadata.addBandwidth(user.id, plan.bandwidthBytes);
      summary.push({ user: user.name, files: plan.files.length, folders: plan.folders.length, bytes });
    }
  } finally {
    clock.set(undefined);
    ids.clear();
  }
  return summary;
}

/**
 * The sandbox's throwaway storage: a seeded SQLite database and blob directory ("a generation")
 * under a temp root, behind a `Storage` that forwards every call to the current generation. A
 * reset seeds a new generation, switches to it and deletes the old one; the app keeps the same
 * `Storage` object throughout. A request in flight during a reset may see either state (an upload
 * that straddles it can fail).
 */
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { openEmbeddedStorage, type BlobStore, type MetadataStore, type Storage } from "../storage/index.js";
import { ScriptedClock, ScriptedIds, seedStorage, type TenantSummary } from "./seed.js";
import type { TenantSeed } from "./tenants.js";

interface Generation {
  dir: string;
  storage: Storage;
  summary: TenantSummary[];
}

/** An object whose every property is read from `target()` at the time of the call. */
function forwarding<T extends object>(target: () => T): T {
  return new Proxy({} as T, {
    get(_empty, property) {
      const current = target();
      const value: unknown = Reflect.get(current, property, current);
      return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(current) : value;
    },
  });
}

/** Seeded, resettable storage under `root` (which the caller creates and removes). */
export class SandboxStorage {
  readonly #root: string;
  readonly #tenants: readonly TenantSeed[];
  #current: Generation;
  #count: number;
  #resetting: Promise<unknown> = Promise.resolve();
  /** What the app is given: always the current generation. */
  readonly storage: Storage;

  private constructor(root: string, tenants: readonly TenantSeed[], first: Generation) {
    this.#root = root;
    this.#tenants = tenants;
    this.#current = first;
    this.#count = 1;
    this.storage = {
      metadata: forwarding<MetadataStore>(() => this.#current.storage.metadata),
      blobs: forwarding<BlobStore>(() => this.#current.storage.blobs),
    };
  }

  /** Seeds the first generation under `root`. */
  static async open(root: string, tenants: readonly TenantSeed[]): Promise<SandboxStorage> {
    return new SandboxStorage(root, tenants, await SandboxStorage.#seed(join(root, "seed-1"), tenants));
  }

  static async #seed(dir: string, tenants: readonly TenantSeed[]): Promise<Generation> {
    const ids = new ScriptedIds();
    const clock = new ScriptedClock();
    const storage = await openEmbeddedStorage(dir, { newId: ids.newId, now: clock.now });
    try {
      return { dir, storage, summary: await seedStorage(storage, ids, clock, tenants) };
    } catch (err) {
      await storage.metadata.close();
      await rm(dir, { recursive: true, force: true });
      throw err;
    }
  }

  /** What each tenant holds right after seeding. */
  get summary(): TenantSummary[] {
    return this.#current.summary;
  }

  /**
   * Seeds a new generation and switches to it; `beforeSwitch` runs just before (to flush what the
   * old one still owes). Resets run one after another.
   */
  reset(beforeSwitch?: () => Promise<void>): Promise<TenantSummary[]> {
    const run = this.#resetting.then(async () => {
      const next = await SandboxStorage.#seed(join(this.#root, `seed-${++this.#count}`), this.#tenants);
      await beforeSwitch?.();
      const old = this.#current;
      this.#current = next;
      await old.storage.metadata.close();
      await rm(old.dir, { recursive: true, force: true });
      return next.summary;
    });
    this.#resetting = run.catch(() => undefined);
    return run;
  }

  /** Closes the current generation's database (the caller removes `root`). */
  async close(): Promise<void> {
    await this.#resetting;
    await this.#current.storage.metadata.close();
  }
}

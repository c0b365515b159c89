/**
 * Per-request bookkeeping off the hot path: a key's `lastUsedAt` and a user's bandwidth are
 * gathered in memory and written in one batch every second (and on `close()`, at shutdown),
 * never as a commit per request. Nothing is lost on SIGTERM; a SIGKILL loses at most the last
 * second. A failed flush (database down) keeps what it could not write for the next one.
 */
import type { Logger } from "pino";
import type { MetadataStore } from "../storage/index.js";

/** Batches `touchApiKey` and `addBandwidth`. */
export class UsageRecorder {
  readonly #metadata: MetadataStore;
  readonly #log: Logger | undefined;
  #keys = new Map<string, Date>();
  #bandwidth = new Map<string, number>();
  #timer: NodeJS.Timeout | undefined;
  #flushing: Promise<void> | undefined;

  constructor(metadata: MetadataStore, options: { flushMs?: number; log?: Logger } = {}) {
    this.#metadata = metadata;
    this.#log = options.log;
    this.#timer = setInterval(() => void this.flush(), options.flushMs ?? 1000);
    this.#timer.unref();
  }

  /** The key authenticated a request at `at`. */
  keyUsed(keyId: string, at = new Date()): void {
    this.#keys.set(keyId, at);
  }

  /** `bytes` of file content were served to `userId`. */
  bandwidth(userId: string, bytes: number): void {
    if (bytes > 0) this.#bandwidth.set(userId, (this.#bandwidth.get(userId) ?? 0) + bytes);
  }

  /** Writes everything gathered so far (one flush at a time). */
  flush(): Promise<void> {
    this.#flushing ??= this.#write().finally(() => {
      this.#flushing = undefined;
    });
    return this.#flushing;
  }

  async #write(): Promise<void> {
    const keys = this.#keys;
    const bandwidth = this.#bandwidth;
    if (keys.size === 0 && bandwidth.size === 0) return;
    this.#keys = new Map();
    this.#bandwidth = new Map();
    for (const [userId, bytes] of bandwidth) {
      try {
        await this.#metadata.addBandwidth(userId, bytes);
      } catch (err) {
        this.bandwidth(userId, bytes);
        this.#log?.warn({ err }, "bandwidth not written yet; retrying with the next flush");
      }
    }
    for (const [keyId, at] of keys) {
      await this.#metadata.touchApiKey(keyId, at).catch(() => {
        if (!this.#keys.has(keyId)) this.#keys.set(keyId, at);
      });
    }
  }

  /** Stops the timer and writes what is left. */
  async close(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    await this.flush();
    if (this.#flushing) await this.#flushing;
    if (this.#keys.size + this.#bandwidth.size > 0) await this.flush();
  }
}

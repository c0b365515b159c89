/**
 * Read buffers for downloads, with memory bounded whatever clients do.
 *
 * A chunk handed to a socket stays referenced until the kernel takes it, so a client that stops
 * reading pins the last chunk written to it until the idle timeout closes the connection. Fast
 * downloads want large reused buffers (fresh buffers per chunk made V8 collect every few dozen MB;
 * `npm run bench` measured 542 MB/s that way against about 1.9 GB/s reusing 1 MiB buffers).
 * So: a shared pool holds at most {@link POOL_BUFFERS} buffers of {@link LARGE_BYTES}; a
 * download borrows up to two while the pool has them, and otherwise copies through one small
 * buffer ({@link SMALL_BYTES}) of its own. A borrowed buffer returns to the pool once the socket
 * has taken its bytes (or the connection has closed, when libuv has let go of it). Worst case:
 * the pool plus one small buffer per download — 400 stalled downloads pin about
 * 16 MiB + 400 × 64 KiB = 41 MiB.
 */

/** Bytes of a pooled buffer. */
export const LARGE_BYTES = 1024 * 1024;
/** Bytes of a download's own buffer when the pool is empty. */
export const SMALL_BYTES = 64 * 1024;
/** Most large buffers in existence at once. */
export const POOL_BUFFERS = 16;

const free: Buffer[] = [];
let created = 0;

/** A large buffer from the pool, or undefined when all are lent out. */
export function borrowLarge(): Buffer | undefined {
  const reused = free.pop();
  if (reused) return reused;
  if (created >= POOL_BUFFERS) return undefined;
  created++;
  return Buffer.allocUnsafeSlow(LARGE_BYTES);
}

/** Gives a borrowed buffer back. Call only once nothing (no pending socket write) uses it. */
export function returnLarge(buffer: Buffer): void {
  free.push(buffer);
}

/** How many pooled buffers are lent out right now (for tests and metrics). */
export function largeBuffersLent(): number {
  return created - free.length;
}

/** A download's own small buffer. */
export function allocSmall(): Buffer {
  return Buffer.allocUnsafeSlow(SMALL_BYTES);
}

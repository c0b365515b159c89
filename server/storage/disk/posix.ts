/**
 * The two POSIX-level details the disk blob store needs beyond `fs/promises`: making a directory
 * entry durable (fsync on the directory after a rename) and recognising errno codes.
 */
import { open } from "node:fs/promises";

/** True when `error` is a Node system error with this errno `code` (e.g. `"ENOENT"`). */
export function isErrnoCode(error: unknown, code: string): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === code;
}

/**
 * fsyncs a directory so a rename or creation inside it survives a power cut. Platforms that
 * cannot open or fsync a directory (Windows: EISDIR/EPERM; some filesystems: EINVAL) are skipped.
 */
export async function fsyncDir(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, "r");
    await handle.sync();
  } catch (error) {
    if (!["EISDIR", "EPERM", "EINVAL", "EACCES"].some((code) => isErrnoCode(error, code))) throw error;
  } finally {
    await handle?.close();
  }
}

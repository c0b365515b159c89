/**
 * The byte-count format of `storageUsed` / `bandwidthUsed`, as openapi.yaml defines it
 * ("Sizes in statistics"): 1024-based units B, KB, MB, GB, TB; the largest unit not above the
 * value; one decimal (half away from zero) while the rounded value is below 10, else a whole
 * number; bytes always whole.
 */
const UNITS = ["B", "KB", "MB", "GB", "TB"] as const;

/** Formats a non-negative byte count, e.g. `1073741824` → `"1.0 GB"`, `524288000` → `"500 MB"`. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) throw new RangeError(`Not a byte count: ${bytes}`);
  let unit = 0;
  while (unit < UNITS.length - 1 && bytes >= 1024 ** (unit + 1)) unit++;
  if (unit === 0) return `${Math.round(bytes)} B`;
  const value = bytes / 1024 ** unit;
  const oneDecimal = Math.round(value * 10) / 10;
  return oneDecimal < 10 ? `${oneDecimal.toFixed(1)} ${UNITS[unit]}` : `${Math.round(value)} ${UNITS[unit]}`;
}

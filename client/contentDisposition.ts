/** Reads the file name out of a `Content-Disposition` header (RFC 6266 / RFC 8187), browser-safe. */

/** The `filename*` (UTF-8, percent-encoded) if present, else the plain `filename`, else undefined. */
export function fileNameFromContentDisposition(header: string | null): string | undefined {
  if (!header) return undefined;
  const extended = /filename\*\s*=\s*([^']*)'[^']*'([^;]+)/i.exec(header);
  if (extended?.[2] && /^utf-8$/i.test(extended[1] ?? "")) {
    try {
      return decodeURIComponent(extended[2].trim());
    } catch {
      // fall through to the plain parameter
    }
  }
  const quoted = /filename\s*=\s*"((?:[^"\\]|\\.)*)"/i.exec(header);
  if (quoted?.[1] !== undefined) return quoted[1].replace(/\\(.)/g, "$1");
  const token = /filename\s*=\s*([^;\s]+)/i.exec(header);
  return token?.[1];
}

/** The media type a file is stored and served with. */
import { lookup } from "mime-types";

const GENERIC = "application/octet-stream";
/** What busboy reports for a part without a Content-Type header (RFC 7578's default). */
const PART_DEFAULT = "text/plain";
const MEDIA_TYPE = /^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}$/;

/**
 * The part's own Content-Type when it is a specific, well-formed media type (parameters dropped,
 * lower-cased), else the type the file name's extension implies, else `application/octet-stream`.
 * A part without a Content-Type header arrives as `text/plain` (RFC 7578), indistinguishable from
 * a declared `text/plain`: for it a specific type named by the extension wins, else `text/plain` stays.
 */
export function detectMimeType(partType: string | undefined, fileName: string): string {
  const base = (partType ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  if (base === PART_DEFAULT) {
    const byName = lookup(fileName);
    return byName && byName !== GENERIC ? byName : PART_DEFAULT;
  }
  if (base && base !== GENERIC && MEDIA_TYPE.test(base)) return base;
  return lookup(fileName) || GENERIC;
}

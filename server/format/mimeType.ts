/** The media type a file is stored and served with. */
import { lookup } from "mime-types";

const GENERIC = "application/octet-stream";
const MEDIA_TYPE = /^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}$/;

/**
 * The part's own Content-Type when it is a specific, well-formed media type (parameters dropped,
 * lower-cased), else the type the file name's extension implies, else `application/octet-stream`.
 */
export function detectMimeType(partType: string | undefined, fileName: string): string {
  const base = (partType ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  if (base && base !== GENERIC && MEDIA_TYPE.test(base)) return base;
  return lookup(fileName) || GENERIC;
}

/**
 * File names from clients: whatever arrives in a multipart `filename`, the stored name is a
 * valid spec `Name` — no path parts, no control or bidi-override characters, NFC, at most 255
 * characters, never `.` or `..` — while ordinary Unicode (accents, CJK, emoji) is kept.
 */
import { ApiError } from "../http/apiError.js";

const CONTROL = /[\u0000-\u001f\u007f-\u009f]/gu;
/** Bidi embedding/override/isolate marks: they can disguise `txt.exe` as `exe.txt`. */
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;
const MAX_LENGTH = 255;

/** Name used when nothing usable is left. */
export const FALLBACK_FILE_NAME = "file";

/** Sanitises a client-supplied file name (see the module comment). */
export function sanitizeFileName(raw: string | undefined): string {
  let name = (raw ?? "").normalize("NFC");
  name = name.split(/[/\\]/u).pop() ?? "";
  name = name.replace(CONTROL, "").replace(BIDI, "").trim();
  if (name === "." || name === ".." || name === "") return FALLBACK_FILE_NAME;
  const chars = Array.from(name);
  if (chars.length > MAX_LENGTH) {
    const dot = name.lastIndexOf(".");
    const ext = dot > 0 ? Array.from(name.slice(dot)) : [];
    const keep = ext.length > 0 && ext.length <= 16 ? MAX_LENGTH - ext.length : MAX_LENGTH;
    name = chars.slice(0, keep).join("").trimEnd() + (keep < MAX_LENGTH ? ext.join("") : "");
  }
  return name;
}

/**
 * A name that already passed the spec's `Name` schema (updateFile, createFolder), in NFC. NFC can
 * lengthen a few rare sequences; a name pushed over 255 characters by it is refused, not cut.
 */
export function normalizeName(name: string): string {
  const nfc = name.normalize("NFC");
  if (Array.from(nfc).length > MAX_LENGTH) {
    throw new ApiError("bad_request", `The name is longer than ${MAX_LENGTH} characters once normalised to NFC`);
  }
  return nfc;
}

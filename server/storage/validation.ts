/**
 * Invariants every metadata backend enforces on its inputs, whatever the HTTP contract says.
 * File and folder names, descriptions and tags follow the spec's `Name`, `Description` and
 * `Tag` schemas exactly (tests/storage/validation.test.ts compares them with openapi.yaml), so
 * a row the API could not return is never stored, even if a request reached storage without
 * validation. Other strings (user names, key labels, media types) keep looser limits.
 */
import { assertBlobKey } from "./blobKey.js";
import { InvalidInputError } from "./errors.js";
import { IdPrefix, newId } from "./ids.js";
import type { ByteRange, FileRecord, NewFile } from "./types.js";

/** Longest accepted name (user, file, folder), label, tag, scope or media type. */
export const MAX_NAME_LENGTH = 255;
/** Longest accepted file description (the spec's `Description`). */
export const MAX_DESCRIPTION_LENGTH = 1000;
/** Longest accepted tag (the spec's `Tag`). */
export const MAX_TAG_LENGTH = 50;
/** Most tags on a file (the spec's `maxItems`). */
export const MAX_TAGS = 50;
/** Most tags or scopes on one record. */
export const MAX_LIST_ITEMS = 100;

const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;
const LONE_SURROGATE = /\p{Surrogate}/u;
/** Characters the spec's `Name` refuses: path separators, C0/C1 controls, bidi marks, U+FFFD. */
const NAME_REFUSED = /[/\\\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufffd]/u;
/** Characters the spec's `Tag` refuses. */
const TAG_REFUSED = /[,\u0000-\u001f\u007f\ufffd]/u;
const SHA256_HEX = /^[0-9a-f]{64}$/;

/** Length in Unicode code points (what the API's `maxLength` counts), not UTF-16 units. */
function codePoints(value: string): number {
  let n = 0;
  for (const _ of value) n++;
  return n;
}

/** A non-empty string of at most `max` characters (code points) without control characters. */
export function assertName(field: string, value: unknown, max = MAX_NAME_LENGTH): asserts value is string {
  if (typeof value !== "string" || value.length === 0 || codePoints(value) > max || CONTROL_CHARS.test(value) || LONE_SURROGATE.test(value)) {
    throw new InvalidInputError(
      field,
      `The ${field} must be 1 to ${max} characters long and contain no control characters.`,
    );
  }
}

/** A file or folder name as the spec's `Name` schema allows it. */
export function assertEntryName(field: string, value: unknown): asserts value is string {
  if (
    typeof value !== "string" ||
    value.length === 0 ||
    codePoints(value) > MAX_NAME_LENGTH ||
    value === "." ||
    value === ".." ||
    NAME_REFUSED.test(value) ||
    LONE_SURROGATE.test(value)
  ) {
    throw new InvalidInputError(
      field,
      `The ${field} must be 1 to ${MAX_NAME_LENGTH} characters of well-formed Unicode, without "/", "\\", control characters, bidirectional marks or U+FFFD, and not "." or "..".`,
    );
  }
}

/** null, or well-formed text of at most {@link MAX_DESCRIPTION_LENGTH} characters. */
export function assertDescription(value: unknown): asserts value is string | null {
  if (value !== null && (typeof value !== "string" || codePoints(value) > MAX_DESCRIPTION_LENGTH || LONE_SURROGATE.test(value) || value.includes("\u0000"))) {
    throw new InvalidInputError(
      "description",
      `The description must be well-formed text of at most ${MAX_DESCRIPTION_LENGTH} characters.`,
    );
  }
}

/** At most {@link MAX_TAGS} tags, each as the spec's `Tag` schema allows it. */
export function assertTags(value: unknown): asserts value is string[] {
  const ok = (tag: unknown) =>
    typeof tag === "string" && tag.length > 0 && codePoints(tag) <= MAX_TAG_LENGTH && !TAG_REFUSED.test(tag) && !LONE_SURROGATE.test(tag);
  if (!Array.isArray(value) || value.length > MAX_TAGS || !value.every(ok)) {
    throw new InvalidInputError(
      "tags",
      `The tags must be at most ${MAX_TAGS} strings of 1 to ${MAX_TAG_LENGTH} characters, without commas, control characters or U+FFFD.`,
    );
  }
}

/** An array of at most {@link MAX_LIST_ITEMS} valid names (scopes). */
export function assertNameList(field: string, value: unknown): asserts value is string[] {
  if (!Array.isArray(value) || value.length > MAX_LIST_ITEMS) {
    throw new InvalidInputError(field, `The ${field} must be a list of at most ${MAX_LIST_ITEMS} items.`);
  }
  for (const item of value) assertName(field, item);
}

/** A safe integer >= 0 (sizes, byte counts, offsets, limits). */
export function assertCount(field: string, value: unknown): asserts value is number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
    throw new InvalidInputError(field, `The ${field} must be a non-negative integer.`);
  }
}

/** A lower-case hex SHA-256 digest. */
export function assertSha256(field: string, value: unknown): asserts value is string {
  if (typeof value !== "string" || !SHA256_HEX.test(value)) {
    throw new InvalidInputError(field, `The ${field} must be a lower-case hex SHA-256 digest.`);
  }
}

const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const FILE_ID = /^file_[A-Za-z0-9]{1,59}$/;

/** A keyset position: an ISO timestamp and a file id; only with offset 0. */
export function assertCursor(value: { createdAt: unknown; id: unknown }, offset: number): void {
  const real = typeof value.createdAt === "string" && ISO_TIMESTAMP.test(value.createdAt) && !Number.isNaN(Date.parse(value.createdAt)) && new Date(value.createdAt).toISOString() === value.createdAt;
  if (!real || typeof value.id !== "string" || !FILE_ID.test(value.id)) {
    throw new InvalidInputError("cursor", "The cursor is not valid.");
  }
  if (offset !== 0) throw new InvalidInputError("cursor", "A cursor cannot be combined with an offset.");
}

/** `<prefix>_` then letters or digits, 64 characters at most (the spec's `FileId` and `FolderId`). */
export function assertId(prefix: IdPrefix, value: unknown): asserts value is string {
  const max = 64 - prefix.length - 1;
  if (typeof value !== "string" || !new RegExp(`^${prefix}_[A-Za-z0-9]{1,${max}}$`).test(value)) {
    throw new InvalidInputError("id", `The id must be "${prefix}_" followed by 1 to ${max} letters or digits.`);
  }
}

/**
 * Checks a `NewFile` against every invariant and returns the record to insert (`id`, by default a new one,
 * `createdAt` = `updatedAt` = `now`), the same for every backend.
 */
export function newFileRecord(input: NewFile, now: string, id: string = newId(IdPrefix.File)): FileRecord {
  assertId(IdPrefix.File, id);
  const description = input.description ?? null;
  const tags = input.tags ?? [];
  assertEntryName("name", input.name);
  assertName("mimeType", input.mimeType);
  assertDescription(description);
  assertTags(tags);
  assertCount("size", input.size);
  assertSha256("sha256", input.sha256);
  assertBlobKey(input.blobKey);
  return {
    id,
    userId: input.userId,
    folderId: input.folderId ?? null,
    name: input.name,
    size: input.size,
    mimeType: input.mimeType,
    description,
    tags: [...tags],
    sha256: input.sha256,
    blobKey: input.blobKey,
    createdAt: now,
    updatedAt: now,
  };
}

/** Throws `InvalidInputError("start" | "end")` unless each given bound of a byte range is a non-negative integer. */
export function assertByteRange(range: ByteRange): void {
  for (const [field, value] of [["start", range.start], ["end", range.end]] as const) {
    if (value !== undefined && !(Number.isSafeInteger(value) && value >= 0)) {
      throw new InvalidInputError(field, `The range ${field} must be a non-negative integer.`);
    }
  }
}

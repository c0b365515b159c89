/**
 * Invariants every metadata backend enforces on its inputs, whatever the HTTP contract says.
 * The limits are deliberately looser than any API contract should be: the HTTP layer validates
 * requests first; these checks only keep garbage out of the database.
 */
import { InvalidInputError } from "./errors.js";

/** Longest accepted name (user, file, folder), label, tag, scope or media type. */
export const MAX_NAME_LENGTH = 255;
/** Longest accepted file description. */
export const MAX_DESCRIPTION_LENGTH = 65_536;
/** Most tags or scopes on one record. */
export const MAX_LIST_ITEMS = 100;

const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;
const SHA256_HEX = /^[0-9a-f]{64}$/;

/** Length in Unicode code points (what the API's `maxLength` counts), not UTF-16 units. */
function codePoints(value: string): number {
  let n = 0;
  for (const _ of value) n++;
  return n;
}

/** A non-empty string of at most `max` characters (code points) without control characters. */
export function assertName(field: string, value: unknown, max = MAX_NAME_LENGTH): asserts value is string {
  if (typeof value !== "string" || value.length === 0 || codePoints(value) > max || CONTROL_CHARS.test(value)) {
    throw new InvalidInputError(
      field,
      `The ${field} must be 1 to ${max} characters long and contain no control characters.`,
    );
  }
}

/** null, or a string of at most {@link MAX_DESCRIPTION_LENGTH} characters. */
export function assertDescription(value: unknown): asserts value is string | null {
  if (value !== null && (typeof value !== "string" || codePoints(value) > MAX_DESCRIPTION_LENGTH)) {
    throw new InvalidInputError(
      "description",
      `The description must be a string of at most ${MAX_DESCRIPTION_LENGTH} characters.`,
    );
  }
}

/** An array of at most {@link MAX_LIST_ITEMS} valid names (tags or scopes). */
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

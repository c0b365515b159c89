/**
 * Server-generated opaque ids: `<prefix>_<20 base62 chars>`, e.g. `file_4fZq0Xk2VnB9sLp1RtYw`.
 *
 * 20 base62 characters carry about 119 bits of entropy, drawn from `crypto.randomBytes` with
 * rejection sampling so every character is equally likely (a plain `byte % 62` would favour the
 * first eight characters). Ids are not secrets; they only have to be unique and unguessable
 * enough that enumerating them is pointless.
 */
import { randomBytes } from "node:crypto";

/** The entity prefixes ids can carry. */
export const IdPrefix = {
  File: "file",
  Folder: "fld",
  User: "usr",
  Key: "key",
} as const;

/** One of the values of {@link IdPrefix}. */
export type IdPrefix = (typeof IdPrefix)[keyof typeof IdPrefix];

/** Number of random characters after the `<prefix>_`. */
export const ID_RANDOM_LENGTH = 20;

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
/** Largest multiple of 62 that fits in a byte: bytes at or above it are thrown away. */
const UNBIASED_LIMIT = 248;

/** `length` uniformly random characters from `[0-9A-Za-z]`. */
export function randomBase62(length: number): string {
  let out = "";
  while (out.length < length) {
    // Ask for a little more than needed: about 3% of bytes are rejected.
    for (const byte of randomBytes(length - out.length + 8)) {
      if (byte < UNBIASED_LIMIT) out += BASE62.charAt(byte % 62);
      if (out.length === length) break;
    }
  }
  return out;
}

/** A fresh id such as `fld_0aZ…`. */
export function newId(prefix: IdPrefix): string {
  return `${prefix}_${randomBase62(ID_RANDOM_LENGTH)}`;
}

const SHAPE = new RegExp(`^[0-9A-Za-z]{${ID_RANDOM_LENGTH}}$`);

/** True when `value` has the shape of an id made by `newId(prefix)`. */
export function isId(prefix: IdPrefix, value: unknown): value is string {
  return (
    typeof value === "string" &&
    value.startsWith(`${prefix}_`) &&
    SHAPE.test(value.slice(prefix.length + 1))
  );
}

/**
 * API keys: `ak_` + 32 random letters/digits. The secret is shown once; storage keeps only its
 * SHA-256 (keys are 190 bits of randomness, so a fast hash is enough: there is nothing to
 * brute-force) and the first 8 characters for display.
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { ApiKeyRecord, MetadataStore } from "../storage/index.js";

/** Every scope an API key can carry, as the spec names them. */
export const SCOPES = ["files:read", "files:write", "user:read"] as const;
/** One of {@link SCOPES}. */
export type Scope = (typeof SCOPES)[number];

/** The documented key format: `ak_` then letters and digits, 32 to 64 characters in total. */
export const API_KEY_PATTERN = /^ak_[A-Za-z0-9]{29,61}$/;

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** A new random key secret, `ak_` + 32 characters drawn without modulo bias. */
export function generateApiKey(): string {
  let out = "ak_";
  while (out.length < 35) {
    for (const byte of randomBytes(48)) {
      if (byte < 248 && out.length < 35) out += ALPHABET[byte % 62];
    }
  }
  return out;
}

/** Lower-case hex SHA-256 of a key secret: the only form a key is stored in. */
export function hashApiKey(secret: string): string {
  return createHash("sha256").update(secret, "utf8").digest("hex");
}

/** Constant-time comparison of two hex digests of equal length. */
export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, "hex");
  const y = Buffer.from(b, "hex");
  return x.length === y.length && timingSafeEqual(x, y);
}

/** True when `value` is one of {@link SCOPES}. */
export function isScope(value: string): value is Scope {
  return (SCOPES as readonly string[]).includes(value);
}

/** Creates a key for `userId` and returns the stored record with the secret (shown once). */
export async function issueApiKey(
  metadata: MetadataStore,
  userId: string,
  scopes: readonly Scope[],
  label: string | null = null,
): Promise<{ record: ApiKeyRecord; secret: string }> {
  const secret = generateApiKey();
  const record = await metadata.createApiKey({
    userId,
    label,
    prefix: secret.slice(0, 8),
    hash: hashApiKey(secret),
    scopes: [...new Set(scopes)],
  });
  return { record, secret };
}

/**
 * The active key record for a secret, or undefined for a malformed, unknown or revoked key
 * (the three are indistinguishable to the caller on purpose).
 */
export async function verifyApiKey(metadata: MetadataStore, secret: string): Promise<ApiKeyRecord | undefined> {
  if (!API_KEY_PATTERN.test(secret)) return undefined;
  const hash = hashApiKey(secret);
  const record = await metadata.findApiKeyByHash(hash);
  if (!record || !sameHash(record.hash, hash) || record.revokedAt !== null) return undefined;
  return record;
}

/**
 * Domain errors thrown by every storage backend.
 *
 * Storage never knows HTTP: these errors carry a `kind` (what went wrong, in domain terms) and
 * a few structured details, never a status code. The HTTP layer maps `kind` to a response.
 * Messages are plain sentences that are safe to show to an API user (no paths, no SQL, no ids
 * of other tenants). Anything that is not a `StorageError` (disk full, corrupt database…) is an
 * internal failure and must not be shown verbatim.
 */

/** Every `kind` a {@link StorageError} can have. */
export const StorageErrorKind = {
  NotFound: "not_found",
  Conflict: "conflict",
  PayloadTooLarge: "payload_too_large",
  Invalid: "invalid",
  Full: "full",
} as const;

/** One of the values of {@link StorageErrorKind}. */
export type StorageErrorKind = (typeof StorageErrorKind)[keyof typeof StorageErrorKind];

/**
 * Which thing was not found. `"blob"` means metadata points at content the blob store does not
 * have (lost or swept data): an integrity problem rather than a user mistake.
 */
export type EntityName = "file" | "folder" | "key" | "user" | "blob";

/** Why a change conflicts with the current state. */
export type ConflictReason =
  | "user_name_taken"
  | "folder_not_empty"
  | "blob_key_in_use"
  | "key_hash_in_use";

const ENTITY_LABEL: Record<EntityName, string> = {
  file: "File",
  folder: "Folder",
  key: "API key",
  user: "User",
  blob: "File content",
};

/** Base class of every domain error thrown by storage. */
export abstract class StorageError extends Error {
  /** Machine-readable category; the HTTP layer switches on it. */
  abstract readonly kind: StorageErrorKind;
}

/**
 * The entity does not exist **or belongs to another user**: both cases produce the same error,
 * so callers cannot probe other tenants' ids.
 */
export class NotFoundError extends StorageError {
  /** Always `"not_found"`. */
  readonly kind = StorageErrorKind.NotFound;
  /** Which kind of entity was looked up. */
  readonly entity: EntityName;

  constructor(entity: EntityName, message = `${ENTITY_LABEL[entity]} not found.`) {
    super(message);
    this.name = "NotFoundError";
    this.entity = entity;
  }
}

/** The change is well-formed but clashes with the current state (name taken, folder not empty…). */
export class ConflictError extends StorageError {
  /** Always `"conflict"`. */
  readonly kind = StorageErrorKind.Conflict;
  /** Which rule the change would break. */
  readonly reason: ConflictReason;

  constructor(reason: ConflictReason, message: string) {
    super(message);
    this.name = "ConflictError";
    this.reason = reason;
  }
}

/** A blob write went over its byte limit; nothing was stored. */
export class PayloadTooLargeError extends StorageError {
  /** Always `"payload_too_large"`. */
  readonly kind = StorageErrorKind.PayloadTooLarge;
  /** The limit that was exceeded, in bytes. */
  readonly limitBytes: number;

  constructor(limitBytes: number) {
    super(`The upload is larger than the limit of ${limitBytes} bytes.`);
    this.name = "PayloadTooLargeError";
    this.limitBytes = limitBytes;
  }
}

/** An argument breaks a storage invariant (bad blob key, empty name, negative size…). */
export class InvalidInputError extends StorageError {
  /** Always `"invalid"`. */
  readonly kind = StorageErrorKind.Invalid;
  /** Name of the offending field or argument, e.g. `"name"` or `"key"`. */
  readonly field: string;

  constructor(field: string, message: string) {
    super(message);
    this.name = "InvalidInputError";
    this.field = field;
  }
}

/**
 * The storage medium is out of space (ENOSPC, a quota, SQLITE_FULL) or under the configured
 * reserve; nothing was stored.
 */
export class StorageFullError extends StorageError {
  /** Always `"full"`. */
  readonly kind = StorageErrorKind.Full;

  constructor(message = "The server is short of storage space; try again later.") {
    super(message);
    this.name = "StorageFullError";
  }
}

/** True when `error` is the operating system's or SQLite's "no space left" failure. */
export function isOutOfSpace(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === "ENOSPC" || code === "EDQUOT" || code === "SQLITE_FULL";
}

/** True when `value` is one of the domain errors above. */
export function isStorageError(value: unknown): value is StorageError {
  return value instanceof StorageError;
}

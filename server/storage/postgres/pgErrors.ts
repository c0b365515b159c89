/**
 * PostgreSQL failures → the domain errors of `../errors.ts`.
 *
 * The store checks what it can before writing, but the database has the last word (constraints
 * hold even for concurrent writers), so constraint violations are mapped by constraint name (the
 * names are fixed in `schema.ts`). Anything not listed stays as it is: an internal failure the
 * HTTP layer must not show verbatim.
 */
import pg from "pg";
import { ConflictError, InvalidInputError, NotFoundError, StorageFullError } from "../errors.js";

/** SQLSTATE codes the store reacts to. */
export const SqlState = {
  UniqueViolation: "23505",
  ForeignKeyViolation: "23503",
  CheckViolation: "23514",
  DiskFull: "53100",
} as const;

/** True when `error` is an error reported by the server (it has a SQLSTATE), not a lost connection. */
export function isDatabaseError(error: unknown): error is pg.DatabaseError {
  return error instanceof pg.DatabaseError;
}

/** True when `error` is the server's report of `code`, optionally on the named constraint. */
export function isViolation(error: unknown, code: string, constraint?: string): boolean {
  return isDatabaseError(error) && error.code === code && (constraint === undefined || error.constraint === constraint);
}

const NFC_MESSAGE = "The name must be in Unicode normalization form C (NFC).";

/** The domain error for `error`, or `error` itself when it has no domain meaning. */
export function translateError(error: unknown): unknown {
  if (!isDatabaseError(error)) return error;
  switch (error.code) {
    case SqlState.DiskFull:
      return new StorageFullError();
    case SqlState.UniqueViolation:
      switch (error.constraint) {
        case "users_name_key":
          return new ConflictError("user_name_taken", "That user name is already taken.");
        case "api_keys_hash_key":
          return new ConflictError("key_hash_in_use", "An API key with the same secret already exists.");
        case "files_blob_key_key":
          return new ConflictError("blob_key_in_use", "This content is already attached to another file.");
      }
      return error;
    case SqlState.CheckViolation:
      if (error.constraint === "files_name_nfc" || error.constraint === "folders_name_nfc") {
        return new InvalidInputError("name", NFC_MESSAGE);
      }
      return error;
    case SqlState.ForeignKeyViolation:
      // Inserts and updates only: deleteFolder maps its own violations to folder_not_empty.
      switch (error.constraint) {
        case "files_folder_fkey":
        case "folders_parent_fkey":
          return new NotFoundError("folder");
        case "files_user_fkey":
        case "folders_user_fkey":
        case "api_keys_user_fkey":
        case "user_stats_user_fkey":
          return new NotFoundError("user");
      }
      return error;
  }
  return error;
}

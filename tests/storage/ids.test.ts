/** Unit tests of the id and blob-key generators and of the domain error classes. */
import { describe, expect, it } from "vitest";
import {
  ConflictError,
  InvalidInputError,
  NotFoundError,
  PayloadTooLargeError,
  StorageError,
  assertBlobKey,
  isId,
  isStorageError,
  newBlobKey,
  newId,
  randomBase62,
} from "../../server/storage/index.js";

describe("ids", () => {
  it("makes prefixed, well-shaped, distinct ids", () => {
    const ids = new Set(Array.from({ length: 1_000 }, () => newId("file")));
    expect(ids.size).toBe(1_000);
    for (const id of ids) {
      expect(id).toMatch(/^file_[0-9A-Za-z]{20}$/);
      expect(isId("file", id)).toBe(true);
      expect(isId("fld", id)).toBe(false);
    }
    expect(isId("usr", "usr_short")).toBe(false);
    expect(isId("usr", `usr_${"a".repeat(19)}-`)).toBe(false);
    expect(isId("usr", 42)).toBe(false);
  });

  it("draws every base62 character about equally often", () => {
    const counts = new Map<string, number>();
    for (const char of randomBase62(62_000)) counts.set(char, (counts.get(char) ?? 0) + 1);
    expect(counts.size).toBe(62);
    // Expected 1000 each; a `byte % 62` bias would put the first 8 characters near 1250.
    for (const count of counts.values()) {
      expect(count).toBeGreaterThan(850);
      expect(count).toBeLessThan(1150);
    }
  });

  it("makes blob keys that pass the blob key guard", () => {
    expect(() => assertBlobKey(newBlobKey())).not.toThrow();
    expect(() => assertBlobKey("../etc/passwd")).toThrow(InvalidInputError);
  });
});

describe("domain errors", () => {
  it("carry a kind and details, and no HTTP status", () => {
    const errors: StorageError[] = [
      new NotFoundError("folder"),
      new ConflictError("folder_not_empty", "The folder is not empty."),
      new PayloadTooLargeError(10),
      new InvalidInputError("name", "Bad name."),
    ];
    expect(errors.map((e) => e.kind)).toEqual(["not_found", "conflict", "payload_too_large", "invalid"]);
    for (const error of errors) {
      expect(isStorageError(error)).toBe(true);
      expect(error).toBeInstanceOf(Error);
      expect(error).not.toHaveProperty("status");
      expect(error).not.toHaveProperty("statusCode");
    }
    expect(errors[0]?.message).toBe("Folder not found.");
    expect(errors[2]).toMatchObject({ limitBytes: 10, message: "The upload is larger than the limit of 10 bytes." });
    expect(isStorageError(new Error("x"))).toBe(false);
  });
});

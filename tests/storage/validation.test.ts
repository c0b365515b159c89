/**
 * Storage is the last line: it refuses exactly the names, descriptions and tags the spec's
 * `Name`, `Description` and `Tag` schemas refuse, so a request that somehow skipped validation
 * still cannot store a row the API could not return. Checked property-based against the
 * schemas of openapi.yaml (Ajv 2020, as the conformance oracle uses it).
 */
import { readFileSync } from "node:fs";
import { Ajv2020 } from "ajv/dist/2020.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { assertDescription, assertEntryName, assertTags } from "../../server/storage/validation.js";

const spec = parse(readFileSync(new URL("../../openapi.yaml", import.meta.url), "utf8")) as {
  components: { schemas: Record<string, object> };
};
const ajv = new Ajv2020({ strict: false });
const schema = (name: string) => ajv.compile(spec.components.schemas[name] as object);
const nameSchema = schema("Name");
const descriptionSchema = schema("Description");
const tagSchema = schema("Tag");

const accepts = (assert: (v: unknown) => void, value: unknown): boolean => {
  try {
    assert(value);
    return true;
  } catch {
    return false;
  }
};

/** Strings rich in what the rules are about: separators, controls, bidi marks, surrogates, U+FFFD. */
const tricky = fc.string({
  unit: fc.oneof(
    fc.constantFrom("/", "\\", ".", ",", "\u0000", "\u001f", "\u007f", "\u0085", "\u009f", "\u061c", "\u200e", "\u202e", "\u2066", "\ufffd", "\ud800", "\udfff", "😀", "é", "a"),
    fc.string({ unit: "binary", minLength: 1, maxLength: 1 }),
  ),
  maxLength: 60,
});

describe("storage validation agrees with the spec's schemas", () => {
  it("file and folder names: Name", () => {
    fc.assert(
      fc.property(fc.oneof(tricky, fc.constantFrom(".", "..", "", "x".repeat(255), "x".repeat(256), "😀".repeat(255), "😀".repeat(256))), (value) => {
        expect(accepts((v) => assertEntryName("name", v), value), JSON.stringify(value)).toBe(nameSchema(value));
      }),
      { numRuns: 3000 },
    );
  });

  it("descriptions: Description", () => {
    fc.assert(
      fc.property(fc.oneof(tricky, fc.constant(null), fc.constantFrom("y".repeat(1000), "y".repeat(1001))), (value) => {
        expect(accepts(assertDescription, value), JSON.stringify(value)).toBe(descriptionSchema(value));
      }),
      { numRuns: 2000 },
    );
  });

  it("tags: Tag, at most 50 of them", () => {
    fc.assert(
      fc.property(fc.array(tricky, { maxLength: 3 }), (tags) => {
        expect(accepts(assertTags, tags), JSON.stringify(tags)).toBe(tags.every((t) => tagSchema(t)));
      }),
      { numRuns: 2000 },
    );
    expect(accepts(assertTags, Array.from({ length: 50 }, (_, i) => `t${i}`))).toBe(true);
    expect(accepts(assertTags, Array.from({ length: 51 }, (_, i) => `t${i}`))).toBe(false);
  });
});

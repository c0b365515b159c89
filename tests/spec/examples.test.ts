// Every example in openapi.yaml (media-type `example`/`examples`, parameter and header examples,
// schema `examples`) validates against its schema (Ajv, JSON Schema 2020-12 + formats, strict),
// and every response with content carries at least one named example per media type.
import { describe, expect, it } from "vitest";
import { type ExampleCase, OpenApiOracle } from "../support/openapi-oracle.js";

const oracle = await OpenApiOracle.load();
const cases = oracle.examples();

describe("examples validate against their schemas", () => {
  it("the spec has examples of every kind", () => {
    const byKind = new Map<ExampleCase["kind"], number>();
    for (const c of cases) byKind.set(c.kind, (byKind.get(c.kind) ?? 0) + 1);
    expect(cases.length).toBeGreaterThan(0);
    expect(byKind.get("media") ?? 0, "media-type examples").toBeGreaterThan(0);
    expect(byKind.get("parameter") ?? 0, "parameter examples").toBeGreaterThan(0);
  });

  it.each(cases.map((c) => [c.location, c] as const))("%s", (_location, c) => {
    expect(c.unchecked, "example cannot be checked").toBeUndefined();
    expect(oracle.validate(c.schema, c.value)).toBeUndefined();
  });
});

describe("every response with content has named examples", () => {
  const rows: [string, number][] = [];
  for (const op of oracle.operations()) {
    for (const [status, response] of Object.entries(op.responses)) {
      const content = response.content;
      if (typeof content !== "object" || content === null || Array.isArray(content)) continue;
      for (const mediaType of Object.keys(content)) {
        const n = cases.filter(
          (c) => c.response?.operation === op && c.response.status === status && c.response.mediaType === mediaType,
        ).length;
        rows.push([`${op.operationId} ${status} ${mediaType}`, n]);
      }
    }
  }

  it("there are responses to check", () => {
    expect(rows.length).toBeGreaterThan(0);
  });

  it.each(rows)("%s has %i example(s) (> 0)", (_name, n) => {
    expect(n).toBeGreaterThan(0);
  });

  it("media-type examples are named (`examples`, not a bare `example`)", () => {
    const bare = cases.filter((c) => c.kind === "media" && c.location.endsWith("› example")).map((c) => c.location);
    expect(bare).toEqual([]);
  });
});

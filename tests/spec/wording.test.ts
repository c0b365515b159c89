// What readers of the docs see in openapi.yaml's own words: the descriptions speak of this API
// only (no "seed API" or "original API": readers know no seed), and texts that Redoc shows as plain
// text (server descriptions, summaries) carry no markdown.
import { describe, expect, it } from "vitest";
import { type JsonObject, OpenApiOracle } from "../support/openapi-oracle.js";

const oracle = await OpenApiOracle.load();

/** Every string under a `description`, `summary` or `title` key, with its JSON pointer. */
function texts(node: unknown, pointer = ""): [string, string][] {
  if (Array.isArray(node)) return node.flatMap((v, i) => texts(v, `${pointer}/${i}`));
  if (typeof node !== "object" || node === null) return [];
  return Object.entries(node as JsonObject).flatMap(([k, v]) => {
    const at = `${pointer}/${k.replace(/~/g, "~0").replace(/\//g, "~1")}`;
    if (typeof v === "string" && ["description", "summary", "title"].includes(k)) return [[at, v] as [string, string]];
    return texts(v, at);
  });
}

describe("the spec's words", () => {
  const all = texts(oracle.raw);

  it("there are texts to read", () => {
    expect(all.length).toBeGreaterThan(50);
  });

  it("no description mentions a seed or an original API", () => {
    expect(all.filter(([, t]) => /\bseed\b|\boriginal API\b/i.test(t))).toEqual([]);
  });

  it("server descriptions and summaries are plain text (Redoc does not render markdown there)", () => {
    const plain = all.filter(([at]) => /^\/servers\/\d+\/description$/.test(at) || at.endsWith("/summary"));
    expect(plain.length).toBeGreaterThan(10);
    expect(plain.filter(([, t]) => /[`*_[\]]/.test(t.replace(/\b\w+_\w+\b/g, "")))).toEqual([]);
  });
});

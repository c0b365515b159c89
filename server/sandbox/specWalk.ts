/** Reading the bundled spec's examples: local `$ref`s and the values of `example` / `examples`. */
import type { OpenApiDocument } from "../spec.js";

/** A JSON object. */
export type JsonObject = Record<string, unknown>;

/** True for a plain JSON object (not an array, not null). */
export const isObject = (v: unknown): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v);

/** Resolves a local `$ref` (`#/components/...`) of `doc`, repeatedly; anything else as it is. */
export function deref(doc: OpenApiDocument, value: unknown): unknown {
  let current = value;
  for (let i = 0; i < 20 && isObject(current) && typeof current.$ref === "string" && current.$ref.startsWith("#/"); i++) {
    current = current.$ref
      .slice(2)
      .split("/")
      .reduce<unknown>((node, key) => (isObject(node) ? node[key.replace(/~1/g, "/").replace(/~0/g, "~")] : undefined), doc);
  }
  return current;
}

/** The example values of a media type, parameter or header object, with their names. */
export function exampleValues(doc: OpenApiDocument, holder: unknown): { name: string; value: unknown }[] {
  const h = deref(doc, holder);
  if (!isObject(h)) return [];
  const out: { name: string; value: unknown }[] = [];
  if ("example" in h) out.push({ name: "example", value: h.example });
  if (isObject(h.examples)) {
    for (const [name, ex] of Object.entries(h.examples)) {
      const e = deref(doc, ex);
      if (isObject(e) && "value" in e) out.push({ name, value: e.value });
    }
  }
  return out;
}

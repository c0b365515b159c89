/**
 * fast-check arbitraries derived from the spec's JSON Schemas: valid values (`valid`) and values
 * the schema refuses (`invalid`, each checked against the oracle's own validator, so a "negative"
 * case is negative by construction). Covers the subset openapi.yaml uses: const, enum, oneOf,
 * type lists (nullable), strings with length/pattern/`not enum`, integers with bounds, arrays
 * (maxItems, uniqueItems) and closed objects.
 */
import fc from "fast-check";
import type { OpenApiOracle, Schema } from "../support/openapi-oracle.js";

type Obj = Record<string, unknown>;
/** Replacement arbitraries for properties by name (e.g. `folderId` → ids that exist). */
export type Overrides = Record<string, fc.Arbitrary<unknown>>;

const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const length = (s: string) => Array.from(s).length;

/** Strings that stress names and text: Unicode, RTL, combining marks, emoji, quotes, long runs. */
const NASTY_STRINGS = ["海.jpg", "😀 emoji.png", "e\u0301.txt", "\u202Etxt.exe", 'quote".txt', "a'b", "%00", "../x", "ä".repeat(60), " padded "];

function stringArbitrary(s: Obj): fc.Arbitrary<string> {
  const min = typeof s.minLength === "number" ? s.minLength : 0;
  const max = typeof s.maxLength === "number" ? Math.min(s.maxLength, 300) : 40;
  const banned = isObj(s.not) && Array.isArray(s.not.enum) ? (s.not.enum as unknown[]) : [];
  const ok = (v: string) => length(v) >= min && length(v) <= (typeof s.maxLength === "number" ? s.maxLength : Infinity) && !banned.includes(v);
  if (typeof s.pattern === "string") {
    const re = new RegExp(s.pattern, "u");
    return fc
      .oneof(
        { weight: 3, arbitrary: fc.stringMatching(re) },
        { weight: 1, arbitrary: fc.string({ unit: "grapheme", minLength: Math.max(1, min), maxLength: Math.min(max, 30) }) },
        { weight: 1, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
      )
      .filter((v) => re.test(v) && ok(v));
  }
  if (s.format === "date-time") return fc.date({ noInvalidDate: true }).map((d) => d.toISOString());
  return fc
    .oneof(
      { weight: 3, arbitrary: fc.string({ unit: "grapheme", minLength: min, maxLength: max }) },
      { weight: 1, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
    )
    .filter(ok);
}

/** Valid values of `schema`. */
export function valid(oracle: OpenApiOracle, schema: Schema | undefined, overrides: Overrides = {}, depth = 0): fc.Arbitrary<unknown> {
  const s = oracle.derefSchema(schema);
  if (s === true || s === undefined || depth > 8) return fc.constant("x");
  if (s === false || !isObj(s)) return fc.constant(null);
  if ("const" in s) return fc.constant(s.const);
  if (Array.isArray(s.enum)) return fc.constantFrom(...(s.enum as unknown[]));
  const branches = (Array.isArray(s.oneOf) ? s.oneOf : Array.isArray(s.anyOf) ? s.anyOf : undefined) as Schema[] | undefined;
  if (branches) return fc.oneof(...branches.map((b) => valid(oracle, b, overrides, depth + 1)));
  if (Array.isArray(s.type)) return fc.oneof(...(s.type as string[]).map((t) => valid(oracle, { ...s, type: t } as Schema, overrides, depth + 1)));
  switch (s.type) {
    case "null":
      return fc.constant(null);
    case "boolean":
      return fc.boolean();
    case "integer":
      return fc.integer({
        min: typeof s.minimum === "number" ? s.minimum : -1000,
        max: typeof s.maximum === "number" ? s.maximum : 1_000_000,
      });
    case "number":
      return fc.double({ min: typeof s.minimum === "number" ? s.minimum : -1e6, max: typeof s.maximum === "number" ? s.maximum : 1e6, noNaN: true });
    case "string":
      return stringArbitrary(s);
    case "array": {
      const item = valid(oracle, s.items as Schema, overrides, depth + 1);
      const constraints = { minLength: typeof s.minItems === "number" ? s.minItems : 0, maxLength: Math.min(typeof s.maxItems === "number" ? s.maxItems : 5, 5) };
      return s.uniqueItems ? fc.uniqueArray(item, { ...constraints, selector: (v) => JSON.stringify(v) }) : fc.array(item, constraints);
    }
    case "object": {
      const props = isObj(s.properties) ? (s.properties as Record<string, Schema>) : {};
      const required = Array.isArray(s.required) ? (s.required as string[]) : [];
      const model: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [name, sub] of Object.entries(props)) model[name] = overrides[name] ?? valid(oracle, sub, overrides, depth + 1);
      const minProps = typeof s.minProperties === "number" ? s.minProperties : 0;
      return fc.record(model, { requiredKeys: required }).filter((o) => Object.keys(o).length >= minProps);
    }
    default:
      return fc.constant("x");
  }
}

/** Values a schema refuses: wrong types, broken bounds and patterns, missing and unknown fields. */
export function invalid(oracle: OpenApiOracle, schema: Schema | undefined): fc.Arbitrary<unknown> {
  const s = oracle.derefSchema(schema);
  const candidates: fc.Arbitrary<unknown>[] = [
    fc.constantFrom(null, true, 0, -1, 1.5, 1e21, "", "x", [], {}, ["x"], { unexpected: 1 }),
    fc.string({ unit: "grapheme", maxLength: 8 }),
    // Any code point, unpaired surrogates included: ill-formed Unicode must be refused, not stored.
    fc.string({ unit: "binary", maxLength: 8 }),
    fc.constantFrom("a".repeat(5000), "../../etc/passwd", "%00", "\u0000", "海".repeat(300), "a\ud800b", "\udfff", "x\ufffd", "inv\u202etxt.exe"),
  ];
  if (isObj(s) && s.type === "object" && isObj(s.properties)) {
    const required = Array.isArray(s.required) ? (s.required as string[]) : [];
    const base = valid(oracle, schema) as fc.Arbitrary<Obj>;
    const propNames = Object.keys(s.properties);
    candidates.push(
      base.map((o) => ({ ...o, unexpectedField: "x" })),
      ...required.map((r) => base.map((o) => Object.fromEntries(Object.entries(o).filter(([k]) => k !== r)))),
      ...propNames.map((name) =>
        fc.tuple(base, invalid(oracle, (s.properties as Record<string, Schema>)[name])).map(([o, bad]) => ({ ...o, [name]: bad })),
      ),
    );
  }
  if (isObj(s) && s.type === "integer") candidates.push(fc.constantFrom(typeof s.maximum === "number" ? s.maximum + 1 : 1.5, typeof s.minimum === "number" ? s.minimum - 1 : "1"));
  if (isObj(s) && typeof s.maxLength === "number") candidates.push(fc.constant("a".repeat(s.maxLength + 1)));
  const check = oracle.validator(schema ?? true);
  return fc.oneof(...candidates).filter((v) => !check(v));
}

/** Query/path/header values are strings on the wire: valid values rendered as strings. */
export function validParam(oracle: OpenApiOracle, schema: Schema | undefined, overrides?: fc.Arbitrary<unknown>): fc.Arbitrary<string> {
  return (overrides ?? valid(oracle, schema)).map((v) => String(v));
}

/**
 * Strings the parameter schema refuses (e.g. `abc`, `101`, `1.5`, `0x10`, `1e3` for a 1–100
 * integer): on the wire an integer is written in plain decimal.
 */
export function invalidParam(oracle: OpenApiOracle, schema: Schema | undefined): fc.Arbitrary<string> {
  const s = oracle.derefSchema(schema);
  const isInt = isObj(s) && s.type === "integer";
  const check = oracle.validator(schema ?? true);
  const accepts = (v: string) => {
    if (isInt) return /^-?\d+$/.test(v) && check(Number(v));
    return check(v);
  };
  return fc
    .oneof(
      fc.constantFrom("abc", "-1", "1.5", "101", "1e3", "0x10", " ", "99999999999999999999", "../", "..%2F", "%00", "a".repeat(5000), "海", "😀", "file_", "fld_"),
      fc.string({ unit: "grapheme", maxLength: 12 }),
      fc.integer({ min: -10_000, max: 10_000 }).map(String),
    )
    .filter((v) => !accepts(v));
}

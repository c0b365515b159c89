/**
 * Path-shape variants of a spec path: other spellings a lax router, proxy or framework may map
 * onto the same route — letter case, doubled and trailing slashes, percent-encoded letters and
 * slashes, dot segments, `;params`. Transforms are data, so fast-check can generate, mix and
 * shrink them and the report can name them. Parameter segments (`{id}`) are never touched: they
 * stay placeholders until a request is sent ({@link fillPath}).
 *
 *   const model = pathModel("/api/v1/files/{id}");
 *   render(model, [{ kind: "case", segment: 0, style: "upper" }]); // "/API/v1/files/{id}"
 */
import fc from "fast-check";

/** A path template split into segments; `literal[i]` is false for a segment with a `{param}`. */
export interface PathModel {
  template: string;
  segments: string[];
  literal: boolean[];
}

/** Dot-segment spellings inserted before a segment (`%2e` is a percent-encoded `.`). */
export const DOT_FORMS = ["./", "x/../", "%2e/", "x/%2e%2e/"] as const;
/** One of {@link DOT_FORMS}. */
export type DotForm = (typeof DOT_FORMS)[number];

/**
 * One change to a path's spelling. `segment` indexes {@link PathModel.segments}; `at` indexes the
 * slash before that segment (0 is the leading slash).
 */
export type Transform =
  | { kind: "case"; segment: number; style: "upper" | "capital" }
  | { kind: "case-all" }
  | { kind: "double-slash"; at: number }
  | { kind: "trailing-slash" }
  | { kind: "encode-letter"; segment: number }
  | { kind: "encode-slash"; at: number; hex: "%2F" | "%2f" }
  | { kind: "dot-segment"; at: number; form: DotForm }
  | { kind: "segment-param"; segment: number; param: ";x=1" | ";" };

/** The families of {@link Transform}, for grouping findings. */
export type TransformKind = Transform["kind"];

/** Splits a template such as `/api/v1/files/{id}` into its segments. */
export function pathModel(template: string): PathModel {
  const segments = template.replace(/^\//, "").split("/");
  return { template, segments, literal: segments.map((s) => !s.includes("{")) };
}

function literalIndexes(model: PathModel): number[] {
  return model.literal.flatMap((lit, i) => (lit ? [i] : []));
}

function encodeFirstLetter(segment: string): string {
  // Letters inside an existing %XX escape are hex digits, not letters of the name.
  const m = /^((?:%[0-9A-Fa-f]{2}|[^A-Za-z%])*)([A-Za-z])/.exec(segment);
  if (!m) return segment;
  const [whole, before = "", letter = ""] = m;
  return `${before}%${letter.charCodeAt(0).toString(16)}${segment.slice(whole.length)}`;
}

function capital(segment: string): string {
  const i = segment.search(/[a-z]/);
  return i < 0 ? segment.toUpperCase() : `${segment.slice(0, i)}${segment.charAt(i).toUpperCase()}${segment.slice(i + 1)}`;
}

/** The path `transforms` make of `model` (placeholders kept). Transforms apply in order. */
export function render(model: PathModel, transforms: readonly Transform[]): string {
  const segs = [...model.segments];
  const seps = segs.map(() => "/");
  let trailing = "";
  const lit = (i: number) => model.literal[i] === true;
  for (const t of transforms) {
    switch (t.kind) {
      case "case":
        if (lit(t.segment)) segs[t.segment] = t.style === "upper" ? (segs[t.segment] ?? "").toUpperCase() : capital(segs[t.segment] ?? "");
        break;
      case "case-all":
        for (let i = 0; i < segs.length; i++) if (lit(i)) segs[i] = (segs[i] ?? "").toUpperCase();
        break;
      case "double-slash":
        if (t.at < seps.length) seps[t.at] = `/${seps[t.at] ?? ""}`;
        break;
      case "trailing-slash":
        trailing = "/";
        break;
      case "encode-letter":
        if (lit(t.segment)) segs[t.segment] = encodeFirstLetter(segs[t.segment] ?? "");
        break;
      case "encode-slash":
        // The leading slash stays: a request-target starts with "/".
        if (t.at > 0 && t.at < seps.length) seps[t.at] = (seps[t.at] ?? "").replace("/", t.hex);
        break;
      case "dot-segment":
        if (t.at < seps.length) seps[t.at] = `${seps[t.at] ?? ""}${t.form}`;
        break;
      case "segment-param":
        if (lit(t.segment)) segs[t.segment] = `${segs[t.segment] ?? ""}${t.param}`;
        break;
    }
  }
  return segs.map((s, i) => `${seps[i] ?? "/"}${s}`).join("") + trailing;
}

/** A short name of a transform list, for the report (e.g. `case(0,upper)+trailing-slash`). */
export function describe(transforms: readonly Transform[]): string {
  return transforms
    .map((t) => {
      switch (t.kind) {
        case "case":
          return `case(${t.segment},${t.style})`;
        case "case-all":
        case "trailing-slash":
          return t.kind;
        case "double-slash":
          return `double-slash(${t.at})`;
        case "encode-letter":
          return `encode-letter(${t.segment})`;
        case "encode-slash":
          return `encode-slash(${t.at},${t.hex})`;
        case "dot-segment":
          return `dot-segment(${t.at},${t.form})`;
        case "segment-param":
          return `segment-param(${t.segment},${t.param})`;
      }
    })
    .join("+");
}

/** One named variant of a path. */
export interface Variant {
  transforms: Transform[];
  /** The path as sent (placeholders kept). */
  path: string;
  /** The family it demonstrates (the first transform's kind). */
  family: TransformKind;
}

/**
 * The deterministic variants of a path: every transform family, at every place it applies
 * (each literal segment upper-cased and capitalised; dot-segment forms all before the last
 * segment, `./` before every other one), deduplicated and never the canonical spelling itself.
 */
export function deterministicVariants(model: PathModel): Variant[] {
  const lits = literalIndexes(model);
  const last = model.segments.length - 1;
  const list: Transform[][] = [];
  for (const s of lits) list.push([{ kind: "case", segment: s, style: "upper" }], [{ kind: "case", segment: s, style: "capital" }]);
  list.push([{ kind: "case-all" }]);
  for (let at = 0; at <= last; at++) list.push([{ kind: "double-slash", at }]);
  list.push([{ kind: "trailing-slash" }]);
  for (const s of lits) list.push([{ kind: "encode-letter", segment: s }]);
  for (let at = 1; at <= last; at++) list.push([{ kind: "encode-slash", at, hex: at % 2 === 1 ? "%2F" : "%2f" }]);
  for (let at = 1; at < last; at++) list.push([{ kind: "dot-segment", at, form: "./" }]);
  for (const form of DOT_FORMS) list.push([{ kind: "dot-segment", at: last, form }]);
  for (const s of lits) list.push([{ kind: "segment-param", segment: s, param: ";x=1" }]);
  const first = lits[0];
  if (first !== undefined) list.push([{ kind: "segment-param", segment: first, param: ";" }]);

  const canonical = render(model, []);
  const seen = new Set<string>([canonical]);
  const out: Variant[] = [];
  for (const transforms of list) {
    const path = render(model, transforms);
    if (seen.has(path)) continue;
    seen.add(path);
    out.push({ transforms, path, family: transforms[0]?.kind ?? "case" });
  }
  return out;
}

/** One transform that applies to `model` (segment indexes only where they change something). */
export function transformArbitrary(model: PathModel): fc.Arbitrary<Transform> {
  const lits = literalIndexes(model);
  const last = model.segments.length - 1;
  const literal = fc.constantFrom(...(lits.length > 0 ? lits : [0]));
  const slash = fc.integer({ min: 0, max: last });
  const inner = fc.integer({ min: Math.min(1, last), max: last });
  return fc.oneof(
    fc.record({ kind: fc.constant("case" as const), segment: literal, style: fc.constantFrom("upper" as const, "capital" as const) }),
    fc.constant({ kind: "case-all" as const }),
    fc.record({ kind: fc.constant("double-slash" as const), at: slash }),
    fc.constant({ kind: "trailing-slash" as const }),
    fc.record({ kind: fc.constant("encode-letter" as const), segment: literal }),
    fc.record({ kind: fc.constant("encode-slash" as const), at: inner, hex: fc.constantFrom("%2F" as const, "%2f" as const) }),
    fc.record({ kind: fc.constant("dot-segment" as const), at: slash, form: fc.constantFrom(...DOT_FORMS) }),
    fc.record({ kind: fc.constant("segment-param" as const), segment: literal, param: fc.constantFrom(";x=1" as const, ";" as const) }),
  );
}

/** Random mixes of two to four transforms (the deterministic list has them one at a time). */
export function mixArbitrary(model: PathModel): fc.Arbitrary<Transform[]> {
  return fc.array(transformArbitrary(model), { minLength: 2, maxLength: 4 });
}

/** Replaces each `{name}` of a rendered path by its value, percent-encoded. */
export function fillPath(path: string, values: Record<string, string>): string {
  return path.replace(/\{([^}]+)\}/g, (m: string, name: string) => (name in values ? encodeURIComponent(values[name] ?? "") : m));
}

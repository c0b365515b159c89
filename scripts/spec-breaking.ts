#!/usr/bin/env node
/**
 * Breaking-change gate: compares openapi.yaml with the contract of the last release and fails
 * on every change that can break a client written against that release, unless `info.version`'s
 * major number was bumped.
 *
 *   npm run spec:breaking                              openapi.yaml against the newest releases/vX.Y.Z/openapi.yaml
 *   npm run spec:breaking -- --base FILE --head FILE   any two documents
 *   npm run spec:breaking -- --base-ref v1.0.0         the base from git (`git show v1.0.0:openapi.yaml`)
 *
 * Exit 0: no breaking change (or the major version was bumped: the findings are listed as
 * allowed). Exit 1: breaking changes, each printed with its rule and the JSON pointer of the
 * place (in the document with every `$ref` resolved; removals point into the base). Exit 2: usage.
 *
 * What breaks a client (the rules, `BreakingRule`):
 * - removed-operation, removed-parameter, removed-property, removed-enum-value,
 *   removed-response-status (and a removed response or request media type, a removed response
 *   header): something a client uses is gone — in requests and in responses alike;
 * - new-required-parameter, new-required-property: a request that was valid is now refused
 *   (also an optional parameter or property that became required, or a body that became required);
 * - request-narrowed: a request value that was valid is now refused — fewer types, a stricter
 *   bound (minLength/maxLength, minimum/maximum, minItems/maxItems…), a pattern, format or enum
 *   added or changed, no more additional properties, fewer alternatives in a oneOf/anyOf;
 * - response-widened: a response may now hold what clients were told it never would — more
 *   types (`null`), a looser or removed bound, a pattern or format changed or removed, a new enum
 *   value, a property no longer always present, additional properties allowed;
 * - changed-security: an operation's security requirements (schemes or scopes) or a scheme's
 *   definition changed.
 * A pattern cannot be compared with another, so any change of one counts as narrower in a request
 * and wider in a response. Adding operations, optional parameters and properties, response
 * properties, response statuses, or loosening a request (tightening a response) is not breaking.
 * `$ref`s are resolved (local ones, `#/…`), so a change in a shared component is reported at
 * every place that uses it.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import YAML from "yaml";

/** One kind of breaking change. */
export type BreakingRule =
  | "removed-operation"
  | "removed-parameter"
  | "removed-property"
  | "removed-enum-value"
  | "removed-response-status"
  | "new-required-parameter"
  | "new-required-property"
  | "request-narrowed"
  | "response-widened"
  | "changed-security";

/** A breaking change: its rule, where (JSON pointer, refs resolved) and what. */
export interface Finding {
  rule: BreakingRule;
  pointer: string;
  message: string;
}

/** A parsed OpenAPI document (only what the gate reads is typed). */
export type Doc = Record<string, unknown>;
type Obj = Record<string, unknown>;
type Direction = "request" | "response";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;
const LOWER_BOUNDS = ["minLength", "minimum", "exclusiveMinimum", "minItems", "minProperties"] as const;
const UPPER_BOUNDS = ["maxLength", "maximum", "exclusiveMaximum", "maxItems", "maxProperties"] as const;

const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const esc = (key: string) => key.replace(/~/g, "~0").replace(/\//g, "~1");
const show = (v: unknown) => (v === undefined ? "none" : JSON.stringify(v));

/** Follows local `$ref`s (`#/a/b`) until a node without one; a broken or cyclic chain gives `{}`. */
function resolve(doc: Doc, node: unknown): { node: unknown; ref?: string } {
  let current = node;
  let ref: string | undefined;
  for (let i = 0; i < 32 && isObj(current) && typeof current.$ref === "string"; i++) {
    ref = current.$ref;
    if (!ref.startsWith("#/")) return { node: {}, ref };
    current = ref
      .slice(2)
      .split("/")
      .map((k) => k.replace(/~1/g, "/").replace(/~0/g, "~"))
      .reduce<unknown>((n, k) => (isObj(n) ? n[k] : Array.isArray(n) ? n[Number(k)] : undefined), doc);
  }
  return ref === undefined ? { node: current } : { node: current ?? {}, ref };
}

class Comparison {
  readonly findings: Finding[] = [];

  constructor(
    readonly base: Doc,
    readonly head: Doc,
  ) {}

  /** Records a finding once (a path-level parameter is met by each of its operations). */
  add(rule: BreakingRule, pointer: string, message: string): void {
    if (!this.findings.some((f) => f.rule === rule && f.pointer === pointer && f.message === message)) this.findings.push({ rule, pointer, message });
  }

  run(): Finding[] {
    const basePaths = isObj(this.base.paths) ? this.base.paths : {};
    const headPaths = isObj(this.head.paths) ? this.head.paths : {};
    for (const [template, rawItem] of Object.entries(basePaths)) {
      const baseItem = resolve(this.base, rawItem).node;
      const headItem = resolve(this.head, headPaths[template]).node;
      if (!isObj(baseItem)) continue;
      for (const method of METHODS) {
        const baseOp = baseItem[method];
        if (!isObj(baseOp)) continue;
        const at = `/paths/${esc(template)}/${method}`;
        const headOp = isObj(headItem) ? headItem[method] : undefined;
        if (!isObj(headOp)) {
          this.add("removed-operation", at, `${method.toUpperCase()} ${template} (${String(baseOp.operationId ?? "no operationId")}) was removed`);
          continue;
        }
        this.operation(`/paths/${esc(template)}`, method, baseItem, baseOp, headItem as Obj, headOp);
      }
    }
    return this.findings;
  }

  operation(itemAt: string, method: string, baseItem: Obj, baseOp: Obj, headItem: Obj, headOp: Obj): void {
    const at = `${itemAt}/${method}`;
    this.parameters(this.params(this.base, itemAt, baseItem, baseOp, method), this.params(this.head, itemAt, headItem, headOp, method));
    this.requestBody(`${at}/requestBody`, baseOp.requestBody, headOp.requestBody);
    this.responses(`${at}/responses`, baseOp.responses, headOp.responses);
    this.security(`${at}/security`, baseOp.security ?? this.base.security, headOp.security ?? this.head.security);
  }

  /**
   * Path-level and operation-level parameters (the operation's win), by `in:name` (header names
   * case-insensitive), each with its pointer.
   */
  params(doc: Doc, itemAt: string, item: Obj, op: Obj, method: string): Map<string, { p: Obj; at: string }> {
    const out = new Map<string, { p: Obj; at: string }>();
    for (const [list, at] of [
      [item.parameters, `${itemAt}/parameters`],
      [op.parameters, `${itemAt}/${method}/parameters`],
    ] as const) {
      if (!Array.isArray(list)) continue;
      list.forEach((raw, i) => {
        const p = resolve(doc, raw).node;
        if (!isObj(p)) return;
        const name = p.in === "header" ? String(p.name).toLowerCase() : String(p.name);
        out.set(`${String(p.in)}:${name}`, { p, at: `${at}/${i}` });
      });
    }
    return out;
  }

  parameters(base: Map<string, { p: Obj; at: string }>, head: Map<string, { p: Obj; at: string }>): void {
    for (const [key, { p, at }] of base) {
      const other = head.get(key);
      if (!other) {
        this.add("removed-parameter", at, `parameter ${key} was removed`);
        continue;
      }
      if (p.required !== true && other.p.required === true) this.add("new-required-parameter", other.at, `parameter ${key} became required`);
      this.schema(`${other.at}/schema`, p.schema, other.p.schema, "request");
    }
    for (const [key, { p, at }] of head) {
      if (!base.has(key) && p.required === true) this.add("new-required-parameter", at, `new required parameter ${key}`);
    }
  }

  requestBody(at: string, rawBase: unknown, rawHead: unknown): void {
    const base = resolve(this.base, rawBase).node;
    const head = resolve(this.head, rawHead).node;
    if (!isObj(head)) return; // a body that is no longer read is not a breaking change
    if (head.required === true && (!isObj(base) || base.required !== true)) this.add("new-required-property", at, "the request body became required");
    if (!isObj(base)) return;
    const baseContent = isObj(base.content) ? base.content : {};
    const headContent = isObj(head.content) ? head.content : {};
    for (const [mediaType, media] of Object.entries(baseContent)) {
      const pointer = `${at}/content/${esc(mediaType)}`;
      const other = headContent[mediaType];
      if (!isObj(other)) {
        this.add("removed-property", pointer, `request media type ${mediaType} is no longer accepted`);
        continue;
      }
      this.schema(`${pointer}/schema`, isObj(media) ? media.schema : undefined, other.schema, "request");
    }
  }

  responses(at: string, rawBase: unknown, rawHead: unknown): void {
    const base = isObj(rawBase) ? rawBase : {};
    const head = isObj(rawHead) ? rawHead : {};
    for (const [status, rawResponse] of Object.entries(base)) {
      const pointer = `${at}/${esc(status)}`;
      if (!(status in head)) {
        this.add("removed-response-status", pointer, `response ${status} was removed`);
        continue;
      }
      const baseResponse = resolve(this.base, rawResponse).node;
      const headResponse = resolve(this.head, head[status]).node;
      if (!isObj(baseResponse) || !isObj(headResponse)) continue;
      const baseHeaders = isObj(baseResponse.headers) ? baseResponse.headers : {};
      const headHeaders = isObj(headResponse.headers) ? headResponse.headers : {};
      const headByLower = new Map(Object.entries(headHeaders).map(([k, v]) => [k.toLowerCase(), [k, v] as const]));
      for (const [name, rawHeader] of Object.entries(baseHeaders)) {
        const found = headByLower.get(name.toLowerCase());
        if (!found) {
          this.add("removed-property", `${pointer}/headers/${esc(name)}`, `response header ${name} was removed`);
          continue;
        }
        const baseHeader = resolve(this.base, rawHeader).node;
        const headHeader = resolve(this.head, found[1]).node;
        if (!isObj(baseHeader) || !isObj(headHeader)) continue;
        if (baseHeader.required === true && headHeader.required !== true)
          this.add("response-widened", `${pointer}/headers/${esc(found[0])}`, `response header ${name} is no longer always sent`);
        this.schema(`${pointer}/headers/${esc(found[0])}/schema`, baseHeader.schema, headHeader.schema, "response");
      }
      const baseContent = isObj(baseResponse.content) ? baseResponse.content : {};
      const headContent = isObj(headResponse.content) ? headResponse.content : {};
      for (const [mediaType, media] of Object.entries(baseContent)) {
        const mediaPointer = `${pointer}/content/${esc(mediaType)}`;
        const other = headContent[mediaType];
        if (!isObj(other)) {
          this.add("removed-property", mediaPointer, `response media type ${mediaType} was removed`);
          continue;
        }
        this.schema(`${mediaPointer}/schema`, isObj(media) ? media.schema : undefined, other.schema, "response");
      }
    }
  }

  /** Security requirements as sorted strings (`bearerAuth[files:read]`), plus each scheme's definition. */
  security(at: string, rawBase: unknown, rawHead: unknown): void {
    const describe = (doc: Doc, raw: unknown) =>
      (Array.isArray(raw) ? raw : [])
        .map((req) =>
          Object.entries(isObj(req) ? req : {})
            .map(([scheme, scopes]) => {
              const def = resolve(doc, ((doc.components as Obj | undefined)?.securitySchemes as Obj | undefined)?.[scheme]).node;
              const d = isObj(def) ? def : {};
              const kind = [d.type, d.scheme, d.in, d.name].filter((v) => v !== undefined).map(String).join(" ");
              return `${scheme}(${kind})[${(Array.isArray(scopes) ? scopes.map(String) : []).sort().join(",")}]`;
            })
            .sort()
            .join(" + "),
        )
        .sort();
    const base = describe(this.base, rawBase);
    const head = describe(this.head, rawHead);
    if (show(base) !== show(head)) this.add("changed-security", at, `security ${show(base)} → ${show(head)}`);
  }

  /** Compares two schemas met at `at` in one direction (what a client sends, or what it receives). */
  schema(at: string, rawBase: unknown, rawHead: unknown, direction: Direction, within: ReadonlySet<string> = new Set()): void {
    const b = resolve(this.base, rawBase);
    const h = resolve(this.head, rawHead);
    // A recursive schema (a ref met again inside itself) is compared once per path.
    const pair = `${b.ref ?? ""}|${h.ref ?? ""}`;
    if (pair !== "|" && within.has(pair)) return;
    const inner = pair === "|" ? within : new Set([...within, pair]);
    const base = b.node;
    const head = h.node;
    if (base === undefined || head === undefined) return;
    if (!isObj(base) || !isObj(head)) {
      if (show(base) !== show(head)) {
        // `true`/`false` schemas: true accepts everything.
        if (direction === "request" && head === false) this.add("request-narrowed", at, "the value is no longer accepted");
        if (direction === "response" && head === true && base !== true) this.add("response-widened", at, "the value is no longer constrained");
      }
      return;
    }
    // A stricter request, or a looser response: what breaks a client in this direction.
    const flag = (message: string, where = at) => this.add(direction === "request" ? "request-narrowed" : "response-widened", where, message);

    // Types.
    const baseTypes = typesOf(this.base, base);
    const headTypes = typesOf(this.head, head);
    if (direction === "request" && headTypes && (!baseTypes || baseTypes.some((t) => !headTypes.includes(t) && !(t === "integer" && headTypes.includes("number")))))
      flag(`type ${(baseTypes ? show(baseTypes) : "any")} → ${show(headTypes)}`, `${at}/type`);
    if (direction === "response" && baseTypes && (!headTypes || headTypes.some((t) => !baseTypes.includes(t) && !(t === "integer" && baseTypes.includes("number")))))
      flag(`type ${show(baseTypes)} → ${(headTypes ? show(headTypes) : "any")}`, `${at}/type`);

    // Enumerations (`enum` or `const`).
    const baseValues = valuesOf(base);
    const headValues = valuesOf(head);
    if (baseValues) {
      for (const v of baseValues)
        if (headValues && !headValues.some((w) => show(w) === show(v))) this.add("removed-enum-value", `${at}/enum`, `enum value ${show(v)} was removed`);
    }
    if (direction === "request" && headValues && !baseValues) flag(`values limited to ${show(headValues)}`, `${at}/enum`);
    if (direction === "response" && baseValues) {
      if (!headValues) flag(`values no longer limited to ${show(baseValues)}`, `${at}/enum`);
      else for (const v of headValues) if (!baseValues.some((w) => show(w) === show(v))) flag(`new enum value ${show(v)}`, `${at}/enum`);
    }

    // Bounds.
    for (const k of LOWER_BOUNDS) {
      const bv = typeof base[k] === "number" ? (base[k] as number) : undefined;
      const hv = typeof head[k] === "number" ? (head[k] as number) : undefined;
      if (direction === "request" && hv !== undefined && (bv === undefined || hv > bv)) flag(`${k} ${show(bv)} → ${hv}`, `${at}/${k}`);
      if (direction === "response" && bv !== undefined && (hv === undefined || hv < bv)) flag(`${k} ${bv} → ${show(hv)}`, `${at}/${k}`);
    }
    for (const k of UPPER_BOUNDS) {
      const bv = typeof base[k] === "number" ? (base[k] as number) : undefined;
      const hv = typeof head[k] === "number" ? (head[k] as number) : undefined;
      if (direction === "request" && hv !== undefined && (bv === undefined || hv < bv)) flag(`${k} ${show(bv)} → ${hv}`, `${at}/${k}`);
      if (direction === "response" && bv !== undefined && (hv === undefined || hv > bv)) flag(`${k} ${bv} → ${show(hv)}`, `${at}/${k}`);
    }
    for (const k of ["pattern", "format"] as const) {
      if (direction === "request" && head[k] !== undefined && head[k] !== base[k]) flag(`${k} ${show(base[k])} → ${show(head[k])}`, `${at}/${k}`);
      if (direction === "response" && base[k] !== undefined && head[k] !== base[k]) flag(`${k} ${show(base[k])} → ${show(head[k])}`, `${at}/${k}`);
    }
    if (direction === "request" && head.uniqueItems === true && base.uniqueItems !== true) flag("items must now be unique", `${at}/uniqueItems`);
    if (direction === "response" && base.uniqueItems === true && head.uniqueItems !== true) flag("items may now repeat", `${at}/uniqueItems`);

    // Objects.
    const baseProps = isObj(base.properties) ? base.properties : {};
    const headProps = isObj(head.properties) ? head.properties : {};
    const baseRequired = Array.isArray(base.required) ? base.required.map(String) : [];
    const headRequired = Array.isArray(head.required) ? head.required.map(String) : [];
    for (const [name, schema] of Object.entries(baseProps)) {
      const pointer = `${at}/properties/${esc(name)}`;
      if (!(name in headProps)) {
        this.add("removed-property", pointer, `property ${name} was removed`);
        continue;
      }
      this.schema(pointer, schema, headProps[name], direction, inner);
    }
    if (direction === "request") {
      for (const name of headRequired)
        if (!baseRequired.includes(name))
          this.add("new-required-property", `${at}/properties/${esc(name)}`, name in baseProps ? `property ${name} became required` : `new required property ${name}`);
      if (head.additionalProperties === false && base.additionalProperties !== false)
        flag("additional properties are no longer accepted", `${at}/additionalProperties`);
    } else {
      for (const name of baseRequired)
        if (!headRequired.includes(name) && name in headProps) flag(`property ${name} is no longer always present`, `${at}/properties/${esc(name)}`);
      if (base.additionalProperties === false && head.additionalProperties !== false) flag("additional properties may now appear", `${at}/additionalProperties`);
    }
    if (isObj(base.additionalProperties) && isObj(head.additionalProperties))
      this.schema(`${at}/additionalProperties`, base.additionalProperties, head.additionalProperties, direction, inner);

    // Arrays and combinations.
    if (base.items !== undefined && head.items !== undefined) this.schema(`${at}/items`, base.items, head.items, direction, inner);
    for (const k of ["oneOf", "anyOf", "allOf"] as const) {
      const bl = Array.isArray(base[k]) ? (base[k] as unknown[]) : undefined;
      const hl = Array.isArray(head[k]) ? (head[k] as unknown[]) : undefined;
      if (!bl || !hl) continue;
      if (bl.length === hl.length) bl.forEach((s, i) => this.schema(`${at}/${k}/${i}`, s, hl[i], direction, inner));
      else if (k !== "allOf" && direction === "request" && hl.length < bl.length) flag(`${k} has fewer alternatives (${bl.length} → ${hl.length})`, `${at}/${k}`);
      else if (k !== "allOf" && direction === "response" && hl.length > bl.length) flag(`${k} has more alternatives (${bl.length} → ${hl.length})`, `${at}/${k}`);
    }
  }
}

/** The JSON types a schema allows (from `type`, or the union of its oneOf/anyOf branches), or undefined for any. */
function typesOf(doc: Doc, schema: Obj, depth = 0): string[] | undefined {
  if (typeof schema.type === "string") return [schema.type];
  if (Array.isArray(schema.type)) return schema.type.map(String).sort();
  if ("const" in schema) return [schema.const === null ? "null" : Array.isArray(schema.const) ? "array" : typeof schema.const];
  for (const k of ["oneOf", "anyOf"] as const) {
    const list = schema[k];
    if (!Array.isArray(list) || depth > 8) continue;
    const all = new Set<string>();
    for (const branch of list) {
      const node = resolve(doc, branch).node;
      const t = isObj(node) ? typesOf(doc, node, depth + 1) : undefined;
      if (!t) return undefined;
      t.forEach((x) => all.add(x));
    }
    return [...all].sort();
  }
  return undefined;
}

function valuesOf(schema: Obj): unknown[] | undefined {
  if (Array.isArray(schema.enum)) return schema.enum;
  if ("const" in schema) return [schema.const];
  return undefined;
}

/** The major number of a semantic version (`1.2.3` → 1), or undefined. */
export function majorOf(version: unknown): number | undefined {
  const m = /^v?(\d+)\./.exec(String(version ?? ""));
  return m ? Number(m[1]) : undefined;
}

/** The breaking changes from `base` to `head` (empty: none). */
export function breakingChanges(base: Doc, head: Doc): Finding[] {
  return new Comparison(base, head).run();
}

/** The verdict the CLI prints: the findings, and whether a major version bump allows them. */
export function verdict(base: Doc, head: Doc): { findings: Finding[]; baseVersion: string; headVersion: string; majorBumped: boolean } {
  const baseVersion = String((base.info as Obj | undefined)?.version ?? "?");
  const headVersion = String((head.info as Obj | undefined)?.version ?? "?");
  const b = majorOf(baseVersion);
  const h = majorOf(headVersion);
  return { findings: breakingChanges(base, head), baseVersion, headVersion, majorBumped: b !== undefined && h !== undefined && h > b };
}

/** The newest release under `releases/` (directories `vX.Y.Z` holding `openapi.yaml`). */
export function latestRelease(releasesDir = path.join(ROOT, "releases")): string | undefined {
  if (!existsSync(releasesDir)) return undefined;
  const versions = readdirSync(releasesDir)
    .map((name) => ({ name, m: /^v(\d+)\.(\d+)\.(\d+)$/.exec(name) }))
    .filter((v): v is { name: string; m: RegExpExecArray } => v.m !== null && existsSync(path.join(releasesDir, v.name, "openapi.yaml")))
    .sort((x, y) => Number(y.m[1]) - Number(x.m[1]) || Number(y.m[2]) - Number(x.m[2]) || Number(y.m[3]) - Number(x.m[3]));
  return versions[0] ? path.join(releasesDir, versions[0].name, "openapi.yaml") : undefined;
}

function usage(message: string): never {
  console.error(`spec:breaking: ${message}\nusage: spec-breaking.ts [--base FILE | --base-ref GIT_REF] [--head FILE]`);
  process.exit(2);
}

function main(argv: string[]): number {
  let baseFile: string | undefined;
  let baseRef: string | undefined;
  let headFile = path.join(ROOT, "openapi.yaml");
  for (let i = 0; i < argv.length; i++) {
    const value = argv[i + 1];
    if (argv[i] === "--base" && value) (baseFile = path.resolve(value)), i++;
    else if (argv[i] === "--base-ref" && value) (baseRef = value), i++;
    else if (argv[i] === "--head" && value) (headFile = path.resolve(value)), i++;
    else usage(`unknown argument ${argv[i]}`);
  }
  let baseText: string;
  let baseName: string;
  if (baseRef) {
    baseText = execFileSync("git", ["show", `${baseRef}:openapi.yaml`], { cwd: ROOT, encoding: "utf8" });
    baseName = `${baseRef}:openapi.yaml`;
  } else {
    baseFile ??= latestRelease();
    if (!baseFile) usage("no release to compare with (releases/vX.Y.Z/openapi.yaml); pass --base or --base-ref");
    baseText = readFileSync(baseFile, "utf8");
    baseName = path.relative(process.cwd(), baseFile);
  }
  const base = YAML.parse(baseText) as Doc;
  const head = YAML.parse(readFileSync(headFile, "utf8")) as Doc;
  const { findings, baseVersion, headVersion, majorBumped } = verdict(base, head);
  const headName = path.relative(process.cwd(), headFile);
  if (findings.length === 0) {
    console.log(`spec:breaking: no breaking change from ${baseName} (${baseVersion}) to ${headName} (${headVersion}).`);
    return 0;
  }
  const lines = findings.map((f) => `  ${f.rule}  ${f.pointer}\n      ${f.message}`).join("\n");
  if (majorBumped) {
    console.log(`spec:breaking: ${findings.length} breaking change(s) from ${baseName} (${baseVersion}) to ${headName} (${headVersion}), allowed by the major version bump:\n${lines}`);
    return 0;
  }
  console.error(
    `spec:breaking: ${findings.length} breaking change(s) from ${baseName} (${baseVersion}) to ${headName} (${headVersion}):\n${lines}\n` +
      `Make the change compatible, or bump info.version's major number (${majorOf(baseVersion) ?? "?"} → ${(majorOf(baseVersion) ?? 0) + 1}).`,
  );
  return 1;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv.slice(2));
}

/**
 * The breaking-change gate (`npm run spec:breaking`, scripts/spec-breaking.ts): one table row per
 * rule, each a small change to the real openapi.yaml that the gate must report with its rule and
 * JSON pointer; rows of compatible changes it must let through; the major-version exemption; and
 * the gate itself on the real contract against the last release (zero findings), as CI runs it.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import YAML from "yaml";
import { breakingChanges, type BreakingRule, type Doc, latestRelease, verdict } from "../../scripts/spec-breaking.js";
import { REPO_ROOT, SPEC_PATH } from "../support/openapi-oracle.js";
import { runNode } from "../support/processes.js";

/** A parsed YAML document as the table rows edit it (local to this file: rows reach deep into it). */
type Any = Record<string, any>;

const specText = await readFile(SPEC_PATH, "utf8");
const spec = () => YAML.parse(specText) as Any;
const changed = (edit: (doc: Any) => void): Doc => {
  const doc = spec();
  edit(doc);
  return doc;
};
const FILES = "/paths/~1api~1v1~1files";
const FILE = "/paths/~1api~1v1~1files~1{id}";
const FOLDERS = "/paths/~1api~1v1~1folders";
const JSON_BODY = "content/application~1json/schema";

interface Row {
  name: string;
  edit: (doc: Any) => void;
  rule: BreakingRule;
  /** A pointer the findings must include. */
  pointer: string;
}

const BREAKING: Row[] = [
  { name: "an operation removed", edit: (d) => delete d.paths["/api/v1/folders"].post, rule: "removed-operation", pointer: `${FOLDERS}/post` },
  {
    name: "a parameter removed",
    edit: (d) => d.paths["/api/v1/files"].get.parameters.splice(3, 1),
    rule: "removed-parameter",
    pointer: `${FILES}/get/parameters/3`,
  },
  {
    name: "a new required query parameter",
    edit: (d) => d.paths["/api/v1/files"].get.parameters.push({ name: "region", in: "query", required: true, schema: { type: "string", maxLength: 10 } }),
    rule: "new-required-parameter",
    pointer: `${FILES}/get/parameters/4`,
  },
  {
    name: "an optional parameter made required",
    edit: (d) => (d.paths["/api/v1/files"].get.parameters[1].required = true),
    rule: "new-required-parameter",
    pointer: `${FILES}/get/parameters/1`,
  },
  {
    name: "a response property removed (in a shared schema)",
    edit: (d) => {
      delete d.components.schemas.File.properties.sha256;
      d.components.schemas.File.required = d.components.schemas.File.required.filter((n: string) => n !== "sha256");
    },
    rule: "removed-property",
    pointer: `${FILES}/get/responses/200/${JSON_BODY}/properties/files/items/properties/sha256`,
  },
  {
    name: "a request property removed",
    edit: (d) => delete d.components.schemas.FileUpdate.properties.tags,
    rule: "removed-property",
    pointer: `${FILE}/patch/requestBody/${JSON_BODY}/properties/tags`,
  },
  {
    name: "a response header removed",
    edit: (d) => delete d.components.responses.RateLimited.headers["Retry-After"],
    rule: "removed-property",
    pointer: `${FILES}/get/responses/429/headers/Retry-After`,
  },
  {
    name: "an enum value removed",
    edit: (d) => (d.components.schemas.ErrorCode.enum = d.components.schemas.ErrorCode.enum.filter((c: string) => c !== "conflict")),
    rule: "removed-enum-value",
    pointer: `${FOLDERS}~1{id}/delete/responses/409/${JSON_BODY}/properties/error/properties/code/enum`,
  },
  {
    name: "a response status removed",
    edit: (d) => delete d.paths["/api/v1/folders/{id}"].delete.responses["409"],
    rule: "removed-response-status",
    pointer: `${FOLDERS}~1{id}/delete/responses/409`,
  },
  {
    name: "an optional request property made required",
    edit: (d) => d.components.schemas.FolderCreate.required.push("parentId"),
    rule: "new-required-property",
    pointer: `${FOLDERS}/post/requestBody/${JSON_BODY}/properties/parentId`,
  },
  {
    name: "a new required request property",
    edit: (d) => {
      d.components.schemas.FolderCreate.properties.color = { type: "string", maxLength: 7 };
      d.components.schemas.FolderCreate.required.push("color");
    },
    rule: "new-required-property",
    pointer: `${FOLDERS}/post/requestBody/${JSON_BODY}/properties/color`,
  },
  {
    name: "a request type narrowed (null no longer accepted)",
    edit: (d) => (d.components.schemas.Description.type = "string"),
    rule: "request-narrowed",
    pointer: `${FILE}/patch/requestBody/${JSON_BODY}/properties/description/type`,
  },
  {
    name: "a request pattern changed",
    edit: (d) => (d.components.schemas.Tag.pattern = "^[a-z]+$"),
    rule: "request-narrowed",
    pointer: `${FILE}/patch/requestBody/${JSON_BODY}/properties/tags/items/pattern`,
  },
  {
    name: "a request bound narrowed (maxLength)",
    edit: (d) => (d.components.schemas.Name.maxLength = 100),
    rule: "request-narrowed",
    pointer: `${FOLDERS}/post/requestBody/${JSON_BODY}/properties/name/maxLength`,
  },
  {
    name: "a request bound narrowed (maximum of a query parameter)",
    edit: (d) => (d.paths["/api/v1/files"].get.parameters[1].schema.maximum = 50),
    rule: "request-narrowed",
    pointer: `${FILES}/get/parameters/1/schema/maximum`,
  },
  {
    name: "a request enum added",
    edit: (d) => (d.components.schemas.Tag.enum = ["holiday"]),
    rule: "request-narrowed",
    pointer: `${FILE}/patch/requestBody/${JSON_BODY}/properties/tags/items/enum`,
  },
  {
    name: "a response type widened (null)",
    edit: (d) => (d.components.schemas.Pagination.properties.total.type = ["integer", "null"]),
    rule: "response-widened",
    pointer: `${FILES}/get/responses/200/${JSON_BODY}/properties/pagination/properties/total/type`,
  },
  {
    name: "a response pattern changed",
    edit: (d) => (d.components.schemas.HumanSize.pattern = "^.*$"),
    rule: "response-widened",
    pointer: "/paths/~1api~1v1~1user~1stats/get/responses/200/content/application~1json/schema/properties/stats/properties/storageUsed/pattern",
  },
  {
    name: "a response bound removed (maximum)",
    edit: (d) => delete d.components.schemas.File.properties.size.maximum,
    rule: "response-widened",
    pointer: `${FILE}/get/responses/200/${JSON_BODY}/properties/file/properties/size/maximum`,
  },
  {
    name: "a response enum value added",
    edit: (d) => d.components.schemas.ErrorCode.enum.push("gone"),
    rule: "response-widened",
    pointer: `${FILES}/get/responses/404/${JSON_BODY}/properties/error/properties/code/enum`,
  },
  {
    name: "a response property no longer required",
    edit: (d) => (d.components.schemas.File.required = d.components.schemas.File.required.filter((n: string) => n !== "url")),
    rule: "response-widened",
    pointer: `${FILE}/get/responses/200/${JSON_BODY}/properties/file/properties/url`,
  },
  {
    name: "a required scope changed",
    edit: (d) => (d.paths["/api/v1/files"].get.security = [{ bearerAuth: ["files:write"] }, { apiKeyAuth: ["files:write"] }]),
    rule: "changed-security",
    pointer: `${FILES}/get/security`,
  },
  {
    name: "a security scheme redefined (another header)",
    edit: (d) => (d.components.securitySchemes.apiKeyAuth.name = "X-Api-Token"),
    rule: "changed-security",
    pointer: `${FILE}/delete/security`,
  },
  {
    name: "a public operation now needs a key",
    edit: (d) => (d.paths["/api/v1/health"].get.security = [{ bearerAuth: [] }]),
    rule: "changed-security",
    pointer: "/paths/~1api~1v1~1health/get/security",
  },
];

const COMPATIBLE: { name: string; edit: (doc: Any) => void }[] = [
  { name: "no change", edit: () => undefined },
  {
    name: "an operation added",
    edit: (d) => (d.paths["/api/v1/tags"] = { get: { operationId: "listTags", responses: { "200": { description: "Tags." } } } }),
  },
  {
    name: "an optional parameter added",
    edit: (d) => d.paths["/api/v1/files"].get.parameters.push({ name: "q", in: "query", schema: { type: "string", maxLength: 100 } }),
  },
  {
    name: "an optional request property added",
    edit: (d) => (d.components.schemas.FolderCreate.properties.color = { type: "string", maxLength: 7 }),
  },
  {
    name: "a response property added",
    edit: (d) => (d.components.schemas.Folder.properties.fileCount = { type: "integer", format: "int64", minimum: 0, maximum: 100 }),
  },
  { name: "a response status added", edit: (d) => (d.paths["/api/v1/health"].get.responses["503"] = { description: "Unavailable." }) },
  { name: "a request bound loosened", edit: (d) => (d.paths["/api/v1/files"].get.parameters[1].schema.maximum = 200) },
  { name: "a request pattern removed", edit: (d) => delete d.components.schemas.UploadForm.properties.tags.pattern },
  { name: "a request enum value added", edit: (d) => d.paths["/api/v1/files"].get.parameters.push({ name: "order", in: "query", schema: { type: "string", enum: ["new", "old"] } }) },
  { name: "a response bound tightened", edit: (d) => (d.components.schemas.File.properties.size.maximum = 1000) },
  { name: "descriptions and examples changed", edit: (d) => ((d.info.description = "Other words."), (d.components.schemas.Name.examples = ["x.txt"])) },
  { name: "a scope added to no one (a new scheme, unused)", edit: (d) => (d.components.securitySchemes.other = { type: "http", scheme: "basic" }) },
];

describe("npm run spec:breaking: one row per rule", () => {
  it("the table covers every rule", () => {
    const rules: BreakingRule[] = [
      "removed-operation",
      "removed-parameter",
      "removed-property",
      "removed-enum-value",
      "removed-response-status",
      "new-required-parameter",
      "new-required-property",
      "request-narrowed",
      "response-widened",
      "changed-security",
    ];
    expect(new Set(BREAKING.map((r) => r.rule))).toEqual(new Set(rules));
  });

  it.each(BREAKING.map((r) => [r.name, r] as const))("%s → reported", (_name, row) => {
    const findings = breakingChanges(spec(), changed(row.edit));
    expect(findings.map((f) => `${f.rule} ${f.pointer}`)).toContain(`${row.rule} ${row.pointer}`);
    for (const f of findings) expect(f.message.length).toBeGreaterThan(0);
  });

  it.each(COMPATIBLE.map((r) => [r.name, r] as const))("%s → nothing to report", (_name, row) => {
    expect(breakingChanges(spec(), changed(row.edit))).toEqual([]);
  });

  it("a change in a shared component is reported at every place that uses it, in its direction", () => {
    const narrowed = breakingChanges(spec(), changed((d) => (d.components.schemas.Name.maxLength = 100)));
    expect(narrowed.map((f) => `${f.rule} ${f.pointer}`).sort()).toEqual(
      [`request-narrowed ${FOLDERS}/post/requestBody/${JSON_BODY}/properties/name/maxLength`, `request-narrowed ${FILE}/patch/requestBody/${JSON_BODY}/properties/name/maxLength`].sort(),
    );
    // The same schema loosened: requests are fine, every response that holds a name may now break a client.
    const widened = breakingChanges(spec(), changed((d) => (d.components.schemas.Name.maxLength = 1000)));
    expect(new Set(widened.map((f) => f.rule))).toEqual(new Set(["response-widened"]));
    const ops = new Set(widened.map((f) => f.pointer.split("/responses/")[0]));
    expect(ops).toEqual(new Set([`${FILES}/get`, `${FILES}~1upload/post`, `${FILE}/get`, `${FILE}/patch`, `${FOLDERS}/get`, `${FOLDERS}/post`]));
    // A path-level parameter is one place, reported once.
    const ids = breakingChanges(spec(), changed((d) => (d.components.schemas.FileId.maxLength = 32)));
    expect(ids.map((f) => f.pointer).sort()).toEqual([`${FILE}/parameters/0/schema/maxLength`, `${FILE}~1download/parameters/0/schema/maxLength`]);
  });

  it("a major version bump allows breaking changes; a minor one does not", () => {
    const removal = (version: string) =>
      changed((d) => {
        delete d.paths["/api/v1/folders"].post;
        d.info.version = version;
      });
    expect(verdict(spec(), removal("2.0.0"))).toMatchObject({ majorBumped: true, findings: [expect.objectContaining({ rule: "removed-operation" })] });
    expect(verdict(spec(), removal("1.1.0"))).toMatchObject({ majorBumped: false, findings: [expect.objectContaining({ rule: "removed-operation" })] });
  });

  it("a recursive schema is compared without looping", () => {
    const recursive = (max: number) =>
      changed((d) => {
        d.components.schemas.Tree = { type: "object", properties: { name: { type: "string", maxLength: max }, children: { type: "array", maxItems: 5, items: { $ref: "#/components/schemas/Tree" } } } };
        d.components.schemas.FolderCreate.properties.tree = { $ref: "#/components/schemas/Tree" };
      });
    const findings = breakingChanges(recursive(10), recursive(5));
    expect(findings.map((f) => f.pointer)).toContain(`${FOLDERS}/post/requestBody/${JSON_BODY}/properties/tree/properties/name/maxLength`);
  });
});

describe("the gate on the real contract", () => {
  let dir = "";
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "aether-breaking-"));
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("the last release is releases/v1.0.0, and its info.version says so", async () => {
    const release = latestRelease();
    expect(release).toBe(path.join(REPO_ROOT, "releases", "v1.0.0", "openapi.yaml"));
    const released = YAML.parse(await readFile(release!, "utf8")) as Any;
    expect(`v${released.info.version}`).toBe("v1.0.0");
  });

  it("openapi.yaml has no breaking change against the last release (npm run spec:breaking exits 0)", { timeout: 60_000 }, async () => {
    expect(breakingChanges(YAML.parse(await readFile(latestRelease()!, "utf8")) as Doc, spec())).toEqual([]);
    const r = await runNode([path.join(REPO_ROOT, "node_modules", "tsx", "dist", "cli.mjs"), path.join(REPO_ROOT, "scripts", "spec-breaking.ts")]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/no breaking change from releases\/v1\.0\.0\/openapi\.yaml \(1\.0\.0\)/);
  });

  it("exits 1 and prints each finding with its pointer; exits 0 with a major bump", { timeout: 60_000 }, async () => {
    const head = path.join(dir, "openapi.yaml");
    const tsx = path.join(REPO_ROOT, "node_modules", "tsx", "dist", "cli.mjs");
    const script = path.join(REPO_ROOT, "scripts", "spec-breaking.ts");
    await writeFile(head, YAML.stringify(changed((d) => delete d.paths["/api/v1/folders/{id}"].delete.responses["409"])));
    const failed = await runNode([tsx, script, "--head", head]);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain(`removed-response-status  ${FOLDERS}~1{id}/delete/responses/409`);
    await writeFile(head, YAML.stringify(changed((d) => ((d.info.version = "2.0.0"), delete d.paths["/api/v1/folders/{id}"].delete.responses["409"]))));
    const bumped = await runNode([tsx, script, "--head", head]);
    expect(bumped.code, bumped.stderr).toBe(0);
    expect(bumped.stdout).toMatch(/allowed by the major version bump/);
    const bad = await runNode([tsx, script, "--nope"]);
    expect(bad.code).toBe(2);
  });
});

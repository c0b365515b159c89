/**
 * The upload form's `tags` field: the spec's pattern (UploadForm.tags) and the server accept and
 * refuse the same strings — with and without the regex `u` flag, since validators differ. Found by
 * the conformance kit's property run: the pattern once let U+FFFD through, which the server refuses.
 */
import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, expect, it } from "vitest";
import { parse } from "yaml";
import { upload } from "../support/http.js";
import { REPO_ROOT } from "../support/openapi-oracle.js";
import { startServer, type TestServer } from "../support/server.js";

let srv: TestServer;
let pattern = "";
beforeAll(async () => {
  srv = await startServer();
  const spec = parse(await readFile(`${REPO_ROOT}/openapi.yaml`, "utf8")) as { components: { schemas: { UploadForm: { properties: { tags: { pattern: string } } } } } };
  pattern = spec.components.schemas.UploadForm.properties.tags.pattern;
});
afterAll(() => srv?.close());

const cases: [string, string][] = [
  ["plain", "holiday, beach"],
  ["emoji (a surrogate pair)", "🏖️,😀"],
  ["U+FFFD", "\ufffd"],
  ["U+FFFD after a tag", "ok,\ufffd "],
  ["a lone high surrogate", "a\ud800"],
  ["a lone low surrogate", "\udc00b"],
  ["a control character", "a\u0007b"],
  ["50 characters", "x".repeat(50)],
  ["51 characters", "x".repeat(51)],
  ["50 emoji", "😀".repeat(50)],
];

it("the spec's pattern and the server agree on every case", async () => {
  for (const [label, tags] of cases) {
    const specSays = new RegExp(pattern).test(tags);
    expect(new RegExp(pattern, "u").test(tags), `${label}: with and without the u flag`).toBe(specSays);
    const res = await upload(srv.baseUrl, srv.keys.full, { name: "t.txt", data: "t", tags });
    await res.arrayBuffer();
    expect(res.status, `${label}: the spec ${specSays ? "accepts" : "refuses"} it`).toBe(specSays ? 201 : 400);
  }
});

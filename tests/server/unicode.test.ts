/**
 * Ill-formed Unicode is refused at the edge with 400 (it used to be stored as U+FFFD, after
 * which the tenant's own GET and list answered 500), and the tenant's listing keeps working.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearer, expectError, patchFile, postFolder, uploadOk, uploadRaw } from "../support/http.js";
import { startServer, type TestServer } from "../support/server.js";

let srv: TestServer;

beforeAll(async () => {
  srv = await startServer();
});
afterAll(() => srv?.close());

async function listStillWorks(): Promise<void> {
  const res = await fetch(`${srv.baseUrl}/api/v1/files?limit=100`, { headers: bearer(srv.keys.full) });
  expect(res.status).toBe(200);
  const folders = await fetch(`${srv.baseUrl}/api/v1/folders`, { headers: bearer(srv.keys.full) });
  expect(folders.status).toBe(200);
}

/** A JSON text whose string holds an unpaired surrogate as the escape `\ud800` (JSON.stringify would write it so too). */
const lone = (field: string, text: string) => `{"${field}":"${text}"}`;

describe("unpaired UTF-16 surrogates", () => {
  it.each([
    ["name", lone("name", "a\\ud800b.txt")],
    ["name (trailing low surrogate)", lone("name", "x\\udfff")],
    ["description", lone("description", "note \\udc00")],
    ["tags", '{"tags":["ok","bad\\ud801"]}'],
    ["an unknown key", '{"\\ud800":1}'],
  ])("PATCH with one in %s → 400 bad_request, nothing changed", async (_what, body) => {
    const file = await uploadOk(srv.baseUrl, srv.keys.full, { name: "u.txt" });
    const res = await fetch(`${srv.baseUrl}/api/v1/files/${file.id}`, {
      method: "PATCH",
      headers: { ...bearer(srv.keys.full), "Content-Type": "application/json" },
      body,
    });
    await expectError(res, 400, "bad_request", "PATCH");
    const after = (await (await fetch(`${srv.baseUrl}/api/v1/files/${file.id}`, { headers: bearer(srv.keys.full) })).json()) as { file: { name: string } };
    expect(after.file.name).toBe("u.txt");
    await listStillWorks();
  });

  it("a folder name with one → 400, and no folder is created", async () => {
    const before = ((await (await fetch(`${srv.baseUrl}/api/v1/folders`, { headers: bearer(srv.keys.full) })).json()) as { folders: unknown[] }).folders.length;
    const res = await fetch(`${srv.baseUrl}/api/v1/folders`, {
      method: "POST",
      headers: { ...bearer(srv.keys.full), "Content-Type": "application/json" },
      body: lone("name", "dir\\ud800"),
    });
    await expectError(res, 400, "bad_request", "POST");
    const after = ((await (await fetch(`${srv.baseUrl}/api/v1/folders`, { headers: bearer(srv.keys.full) })).json()) as { folders: unknown[] }).folders.length;
    expect(after).toBe(before);
  });

  it("well-formed astral characters (a surrogate pair) are fine", async () => {
    const folder = await postFolder(srv.baseUrl, srv.keys.full, { name: "photos 😀" });
    expect(folder.status).toBe(201);
    const file = await uploadOk(srv.baseUrl, srv.keys.full, { name: "x.txt" });
    const res = await patchFile(srv.baseUrl, srv.keys.full, file.id, { name: "𝒻𝒾𝓁𝑒 😀.txt", description: "🎉", tags: ["🏷"] });
    expect(res.status).toBe(200);
    await listStillWorks();
  });
});

describe("multipart file names that are not UTF-8", () => {
  it.each([
    ["filename* with an encoded surrogate (CESU-8)", { filenameStarRaw: "%ED%A0%80.txt" }],
    ["filename* with a lone continuation byte", { filenameStarRaw: "caf%A9.txt" }],
  ])("%s → 400, and no file, temp file or row is left", async (_what, name) => {
    const before = (await (await fetch(`${srv.baseUrl}/api/v1/user/stats`, { headers: bearer(srv.keys.full) })).json()) as { stats: { totalFiles: number } };
    const res = await uploadRaw(srv.baseUrl, srv.keys.full, [{ name: "file", contentType: "text/plain", data: "hello", ...name }]);
    await expectError(res, 400, "bad_request", "POST");
    const after = (await (await fetch(`${srv.baseUrl}/api/v1/user/stats`, { headers: bearer(srv.keys.full) })).json()) as { stats: { totalFiles: number } };
    expect(after.stats.totalFiles).toBe(before.stats.totalFiles);
    await listStillWorks();
  });
});

describe("malformed percent-encoding in the path", () => {
  it("answers 400 with a clear message", async () => {
    const res = await fetch(`${srv.baseUrl}/api/v1/files/file_%E0%A4%A`, { headers: bearer(srv.keys.full) });
    const body = await expectError(res, 400, "bad_request");
    expect(body.error.message).toBe("The path holds a malformed percent-encoding (not UTF-8)");
  });
});

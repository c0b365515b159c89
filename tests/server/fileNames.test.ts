/**
 * Client-supplied file names: stored sanitised (no path parts, control or bidi characters; NFC)
 * with their Unicode kept, and always downloadable with an RFC 6266/8187 Content-Disposition.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FALLBACK_FILE_NAME, sanitizeFileName } from "../../server/format/fileName.js";
import { bearer, getJson, parseDisposition, uploadRaw, type ApiFile, type RawPart } from "../support/http.js";
import { startServer, type TestServer } from "../support/server.js";

let srv: TestServer;
beforeAll(async () => {
  srv = await startServer();
});
afterAll(() => srv?.close());

/** The spec's Name pattern plus the sanitiser's promises. */
function expectSafeName(name: string): void {
  expect(name).toMatch(/^[^/\\\x00-\x1f\x7f]+$/);
  expect(name).not.toMatch(/[\u0080-\u009f\u202a-\u202e\u2066-\u2069\u200e\u200f]/);
  expect(name).not.toBe(".");
  expect(name).not.toBe("..");
  expect(name.normalize("NFC")).toBe(name);
  expect(Array.from(name).length).toBeLessThanOrEqual(255);
}

async function uploadNamed(part: Omit<RawPart, "name" | "data" | "contentType">): Promise<ApiFile> {
  const res = await uploadRaw(srv.baseUrl, srv.keys.full, [{ name: "file", contentType: "application/octet-stream", data: "content", ...part }]);
  const text = await res.text();
  expect(res.status, text).toBe(201);
  return (JSON.parse(text) as { file: ApiFile }).file;
}

const cases: Array<{ label: string; part: Omit<RawPart, "name" | "data" | "contentType">; stored: string }> = [
  { label: "path traversal ../../etc/passwd", part: { filename: "../../etc/passwd" }, stored: "passwd" },
  { label: "Windows path C:\\Users\\x\\report.pdf", part: { filenameStar: "C:\\Users\\x\\report.pdf" }, stored: "report.pdf" },
  { label: "CR LF inside the name", part: { filenameStar: "a\r\nb.txt" }, stored: "ab.txt" },
  { label: "NUL and DEL inside the name", part: { filenameStar: "a\u0000b\u007fc.txt" }, stored: "abc.txt" },
  { label: "a double quote", part: { filename: 'quote".txt' }, stored: 'quote".txt' },
  { label: "RTL override", part: { filenameStar: "\u202Etxt.exe" }, stored: "txt.exe" },
  { label: "emoji", part: { filename: "😀.png" }, stored: "😀.png" },
  { label: "Japanese", part: { filename: "海.jpg" }, stored: "海.jpg" },
  { label: "NFD e + combining acute", part: { filename: "e\u0301.txt" }, stored: "\u00e9.txt" },
  { label: "accents kept, NFC", part: { filenameStar: "Cafe\u0301 crème.txt" }, stored: "Café crème.txt" },
  { label: "a percent sign and a semicolon", part: { filename: "100%; done.txt" }, stored: "100%; done.txt" },
];

describe("stored names", () => {
  for (const { label, part, stored } of cases) {
    it(`${label} → ${JSON.stringify(stored)}, downloadable`, async () => {
      const file = await uploadNamed(part);
      expect(file.name).toBe(stored);
      expectSafeName(file.name);
      // The same name comes back from getFile and the listing.
      expect((await getJson<{ file: ApiFile }>(`${srv.baseUrl}/api/v1/files/${file.id}`, srv.keys.full)).file.name).toBe(stored);

      for (const method of ["GET", "HEAD"]) {
        const res = await fetch(file.url, { method, headers: bearer(srv.keys.full) });
        expect(res.status, `${method} ${label}`).toBe(200);
        if (method === "GET") expect(await res.text()).toBe("content");
        const header = res.headers.get("content-disposition") ?? "";
        expect(header).toMatch(/^[\x20-\x7e]+$/); // a header is ASCII
        const d = parseDisposition(header);
        expect(d.type).toBe("attachment");
        expect(d.filename).toBeDefined();
        expect(d.filename).toMatch(/^[\x20-\x7e]+$/);
        expect(d.filename).not.toMatch(/[/\\%]/);
        expect(d.filename!.startsWith(".")).toBe(false);
        // The exact name travels in filename* whenever the plain filename had to differ from it.
        expect(d.filenameStar ?? d.filename).toBe(stored);
        if (/^[\x20-\x7e]*$/.test(stored) && !/[%\\]/.test(stored)) expect(d.filename).toBe(stored);
      }
    });
  }

  it("a name over 255 characters is cut to 255, keeping its extension", async () => {
    const file = await uploadNamed({ filename: `${"a".repeat(300)}.jpeg` });
    expect(Array.from(file.name)).toHaveLength(255);
    expect(file.name.endsWith(".jpeg")).toBe(true);
    expectSafeName(file.name);
  });

  // KNOWN GAP (reported, server/storage/validation.ts is not ours): the spec's Name allows 255
  // characters (code points), the sanitiser cuts to 255 code points, but the metadata store's
  // assertName counts UTF-16 units, so 255 emoji (510 units) are refused with a 400.
  it("a long name of emoji is cut by characters, not UTF-16 units", async () => {
    const file = await uploadNamed({ filename: `${"😀".repeat(300)}.png` });
    expect(Array.from(file.name)).toHaveLength(255);
    expect(file.name).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/); // no lone surrogate
    expect(file.name.endsWith(".png")).toBe(true);
  });

  it("the ASCII fallback of a non-ASCII name is readable (accents stripped, not dropped)", async () => {
    const file = await uploadNamed({ filename: "résumé.pdf" });
    const res = await fetch(file.url, { method: "HEAD", headers: bearer(srv.keys.full) });
    const d = parseDisposition(res.headers.get("content-disposition") ?? "");
    expect(d.filename).toBe("resume.pdf");
    expect(d.filenameStar).toBe("résumé.pdf");
  });
});

describe("sanitizeFileName (unit)", () => {
  it("never returns an empty name, . or ..", () => {
    for (const raw of ["", ".", "..", "../..", "/", "\u202E", "\r\n", " ", undefined]) {
      expect(sanitizeFileName(raw)).toBe(FALLBACK_FILE_NAME);
    }
  });

  it("keeps the last path segment of either separator", () => {
    expect(sanitizeFileName("a/b\\c.txt")).toBe("c.txt");
    expect(sanitizeFileName("../../etc/passwd")).toBe("passwd");
  });

  it("removes C1 controls and bidi marks, keeps other Unicode, normalises to NFC", () => {
    expect(sanitizeFileName("a\u0085b\u200fc\u2066.txt")).toBe("abc.txt");
    expect(sanitizeFileName("O\u0308l.txt")).toBe("Öl.txt");
    expect(sanitizeFileName("日本語 ✓.md")).toBe("日本語 ✓.md");
  });
});

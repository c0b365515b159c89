/**
 * GET /api/v1/user/stats and the human-readable byte format of openapi.yaml ("Sizes in
 * statistics"), checked against an independent reading of that text.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatBytes } from "../../server/format/humanSize.js";
import { bearer, contract, createFolder, expectConforms, listAll, stats, uploadOk } from "../support/http.js";
import { startServer, type TestServer } from "../support/server.js";

/** The spec's HumanSize pattern, read from openapi.yaml (not copied). */
async function humanSizePattern(): Promise<RegExp> {
  const schemas = (await contract()).raw.components as { schemas: { HumanSize: { pattern: string } } };
  return new RegExp(schemas.schemas.HumanSize.pattern);
}

/**
 * The format as the spec words it, done with integer arithmetic: largest 1024-based unit not above
 * the value (B..TB); one decimal, half away from zero; below 10 keep the decimal, else a whole
 * number (rounded half away from zero); bytes whole.
 */
function reference(bytes: number): string {
  const units = ["B", "KB", "MB", "GB", "TB"];
  let u = 0;
  while (u < 4 && BigInt(bytes) >= 1024n ** BigInt(u + 1)) u++;
  if (u === 0) return `${bytes} B`;
  const base = 1024n ** BigInt(u);
  const b = BigInt(bytes);
  const tenths = (b * 10n * 2n + base) / (2n * base); // round(b*10/base), half up (all positive)
  if (tenths < 100n) return `${tenths / 10n}.${tenths % 10n} ${units[u]}`;
  const whole = (b * 2n + base) / (2n * base);
  return `${whole} ${units[u]}`;
}

describe("formatBytes (server/format/humanSize.ts)", () => {
  const table: Array<[number, string]> = [
    [0, "0 B"],
    [1, "1 B"],
    [512, "512 B"],
    [1023, "1023 B"],
    [1024, "1.0 KB"],
    [1536, "1.5 KB"],
    [10 * 1024 - 1, "10 KB"],
    [10 * 1024, "10 KB"],
    [1024 * 1024 - 1, "1024 KB"],
    [1024 * 1024, "1.0 MB"],
    [524288000, "500 MB"],
    [1073741824, "1.0 GB"],
    [Math.round(9.96 * 1024 ** 3), "10 GB"],
    [Math.round(9.94 * 1024 ** 3), "9.9 GB"],
    [1024 ** 4, "1.0 TB"],
    [2048 * 1024 ** 4, "2048 TB"],
  ];
  for (const [bytes, text] of table) {
    it(`${bytes} → ${JSON.stringify(text)}`, () => {
      expect(formatBytes(bytes)).toBe(text);
      expect(reference(bytes)).toBe(text);
    });
  }

  it("rounds half away from zero (1.25 KB → 1.3 KB, 1.05 MB-ish halves)", () => {
    expect(formatBytes(1280)).toBe("1.3 KB");
    expect(formatBytes(1024 * 1024 * 1.25)).toBe("1.3 MB");
  });

  it("refuses negative and non-finite counts", () => {
    for (const bad of [-1, Number.NaN, Number.POSITIVE_INFINITY]) expect(() => formatBytes(bad)).toThrow(RangeError);
  });

  it("agrees with the reference and the spec's pattern for any byte count", async () => {
    const pattern = await humanSizePattern();
    fc.assert(
      fc.property(fc.oneof(fc.integer({ min: 0, max: 1 << 30 }), fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER })), (bytes) => {
        const text = formatBytes(bytes);
        expect(text).toBe(reference(bytes));
        expect(text).toMatch(pattern);
      }),
      { numRuns: 2000 },
    );
  });

  it("is right around every unit boundary", async () => {
    const pattern = await humanSizePattern();
    for (let u = 1; u <= 4; u++) {
      for (const m of [1, 9.95, 10, 1023.95, 1024]) {
        for (const d of [-2, -1, 0, 1, 2]) {
          const bytes = Math.max(0, Math.round(m * 1024 ** u) + d);
          expect(formatBytes(bytes), String(bytes)).toBe(reference(bytes));
          expect(formatBytes(bytes)).toMatch(pattern);
        }
      }
    }
  });
});

describe("getUserStats", () => {
  let srv: TestServer;
  beforeAll(async () => {
    srv = await startServer();
  });
  afterAll(() => srv?.close());

  it("has exactly the seed's field names, conforming to the spec", async () => {
    const res = await fetch(`${srv.baseUrl}/api/v1/user/stats`, { headers: bearer(srv.keys.full) });
    const text = await res.text();
    expect(res.status).toBe(200);
    await expectConforms("GET", res, text);
    const body = JSON.parse(text) as { success: boolean; stats: Record<string, unknown> };
    expect(body.success).toBe(true);
    expect(Object.keys(body.stats).sort()).toEqual(["bandwidthUsed", "bandwidthUsedBytes", "storageUsed", "totalFiles", "totalFolders", "totalSize"]);
    expect(body.stats).toEqual({ totalFiles: 0, totalSize: 0, totalFolders: 0, storageUsed: "0 B", bandwidthUsed: "0 B", bandwidthUsedBytes: 0 });
  });

  it("counts files, folders and bytes, with strings in the spec's format", async () => {
    const pattern = await humanSizePattern();
    await createFolder(srv.baseUrl, srv.keys.full, "A");
    const folder = await createFolder(srv.baseUrl, srv.keys.full, "B");
    const sizes = [1000, 2000, 3 * 1024 * 1024 + 17];
    for (const [i, size] of sizes.entries()) {
      await uploadOk(srv.baseUrl, srv.keys.full, { data: new Uint8Array(size).fill(i), ...(i === 0 && { folderId: folder.id }) });
    }
    const s = await stats(srv.baseUrl, srv.keys.full);
    const listed = await listAll(srv.baseUrl, srv.keys.full);
    expect(s.totalFiles).toBe(3);
    expect(s.totalFolders).toBe(2);
    expect(s.totalSize).toBe(listed.reduce((sum, f) => sum + f.size, 0));
    expect(s.totalSize).toBe(sizes.reduce((a, b) => a + b, 0));
    expect(s.storageUsed).toBe(reference(s.totalSize));
    expect(s.storageUsed).toBe("3.0 MB");
    expect(s.storageUsed).toMatch(pattern);
    expect(s.bandwidthUsed).toMatch(pattern);
  });

  it("bandwidthUsed is the formatted bandwidthUsedBytes", async () => {
    const file = (await listAll(srv.baseUrl, srv.keys.full)).find((f) => f.size > 1024 * 1024)!;
    await (await fetch(file.url, { headers: bearer(srv.keys.full) })).arrayBuffer();
    let s = await stats(srv.baseUrl, srv.keys.full);
    for (let i = 0; i < 40 && s.bandwidthUsedBytes < file.size; i++) {
      await new Promise((r) => setTimeout(r, 25));
      s = await stats(srv.baseUrl, srv.keys.full);
    }
    expect(s.bandwidthUsedBytes).toBe(file.size);
    expect(s.bandwidthUsed).toBe(reference(file.size));
  });

  it("is per user: the other tenant sees its own zeroes", async () => {
    expect(await stats(srv.baseUrl, srv.keys.otherTenant)).toEqual({
      totalFiles: 0,
      totalSize: 0,
      totalFolders: 0,
      storageUsed: "0 B",
      bandwidthUsed: "0 B",
      bandwidthUsedBytes: 0,
    });
  });
});

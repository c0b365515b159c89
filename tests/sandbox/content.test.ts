// The seeded files' bytes (server/sandbox/content.ts): exactly the declared size, the same on every
// run, and a valid file of the declared type — checked here by parsing each format (JPEG segments,
// PNG chunks with their CRCs and the inflated image data, PDF cross-reference offsets). The browser
// test decodes the seeded JPEG and PNG in Chromium as well.
import { describe, expect, it } from "vitest";
import { BASE_JPEG, BASE_PNG } from "../../server/sandbox/baseImages.js";
import { sandboxContent, type ContentSpec } from "../../server/sandbox/content.js";
import { jpegStructure, pdfStructure, pngStructure } from "./formats.js";

function bytes(spec: ContentSpec): { all: Buffer; largestChunk: number } {
  const chunks = [...sandboxContent(spec)].map((c) => Buffer.from(c));
  return { all: Buffer.concat(chunks), largestChunk: Math.max(0, ...chunks.map((c) => c.length)) };
}

describe("exact sizes, deterministic, chunks of at most 64 KiB", () => {
  const cases: ContentSpec[] = [
    { name: "example.jpg", mimeType: "image/jpeg", size: 1_024_000 },
    { name: "quarterly-report.pdf", mimeType: "application/pdf", size: 482_133 },
    { name: "chart.png", mimeType: "image/png", size: 200_000 },
    { name: "notes.txt", mimeType: "text/plain", size: 70_001 },
    { name: "data.json", mimeType: "application/json", size: 5_000 },
    { name: "blob.bin", mimeType: "application/octet-stream", size: 3 },
    { name: "empty.txt", mimeType: "text/plain", size: 0 },
  ];
  for (const spec of cases) {
    it(`${spec.name}, ${spec.size} bytes`, () => {
      const a = bytes(spec);
      const b = bytes(spec);
      expect(a.all.length).toBe(spec.size);
      expect(a.all.equals(b.all)).toBe(true);
      expect(a.largestChunk).toBeLessThanOrEqual(64 * 1024 + 4);
    });
  }
  it("the name and the size change the bytes", () => {
    const one = bytes({ name: "a.jpg", mimeType: "image/jpeg", size: 5000 }).all;
    expect(one.equals(bytes({ name: "b.jpg", mimeType: "image/jpeg", size: 5000 }).all)).toBe(false);
  });
  it("refuses a negative or fractional size", () => {
    expect(() => sandboxContent({ name: "x", mimeType: "text/plain", size: -1 })).toThrow(RangeError);
    expect(() => sandboxContent({ name: "x", mimeType: "text/plain", size: 1.5 })).toThrow(RangeError);
  });
});

describe("JPEG: the base picture with comment segments", () => {
  const base = BASE_JPEG.length;
  // Around the edges: no padding, the smallest segment (4), a full segment (65,537), one byte past
  // it (which must not leave a segment under 4 bytes), and the seed's 1 MB photo.
  for (const pad of [0, 4, 5, 100, 65_537, 65_538, 65_540, 131_074, 1_024_000 - base]) {
    it(`pad ${pad}: valid segments, only COM added, ends at EOI`, () => {
      const buf = bytes({ name: "p.jpg", mimeType: "image/jpeg", size: base + pad }).all;
      expect(buf.length).toBe(base + pad);
      const { markers, comments, trailing } = jpegStructure(buf);
      expect(trailing).toBe(0);
      expect(markers.filter((m) => m !== 0xfe)).toEqual(jpegStructure(Buffer.from(BASE_JPEG)).markers);
      expect(markers[0]).toBe(0xe0); // JFIF APP0 stays first
      expect(comments).toBe(pad === 0 ? 0 : Math.ceil(pad / 65_537));
    });
  }
  it("a pad of 1 to 3 bytes goes after EOI; a size under the picture gives its first bytes", () => {
    for (const pad of [1, 2, 3]) expect(jpegStructure(bytes({ name: "p.jpg", mimeType: "image/jpeg", size: base + pad }).all).trailing).toBe(pad);
    const short = bytes({ name: "p.jpg", mimeType: "image/jpeg", size: 100 }).all;
    expect(short.equals(Buffer.from(BASE_JPEG).subarray(0, 100))).toBe(true);
  });
});

describe("PNG: the base picture with a tEXt chunk", () => {
  const base = BASE_PNG.length;
  for (const pad of [0, 20, 21, 1000, 300_000]) {
    it(`pad ${pad}: every CRC right, the image data intact`, () => {
      const buf = bytes({ name: "p.png", mimeType: "image/png", size: base + pad }).all;
      expect(buf.length).toBe(base + pad);
      const png = pngStructure(buf);
      expect(png.trailing).toBe(0);
      expect([png.width, png.height]).toEqual([32, 32]);
      expect(png.pixels).toBe(32 * (1 + 32 * 4));
      expect(png.types.filter((t) => t === "tEXt").length).toBe(pad === 0 ? 0 : 1);
      expect(png.types.at(-1)).toBe("IEND");
      if (pad >= 100) expect(buf.includes(Buffer.from("Comment\0AetherCDN sandbox file p.png", "latin1"))).toBe(true);
    });
  }
  it("a pad under a chunk's size goes after IEND", () => {
    expect(pngStructure(bytes({ name: "p.png", mimeType: "image/png", size: base + 7 }).all).trailing).toBe(7);
  });
});

describe("PDF: one page, padded with comment lines", () => {
  it("a size under the smallest PDF gives its first bytes", () => {
    const short = bytes({ name: "r.pdf", mimeType: "application/pdf", size: 300 }).all;
    expect(short.length).toBe(300);
    expect(short.toString("latin1")).toMatch(/^%PDF-1\.4\n/);
    expect(short.toString("latin1")).not.toContain("%%EOF");
  });
  for (const size of [700, 701, 782, 10_000, 99_999, 100_000, 482_133]) {
    it(`${size} bytes: the cross-reference table points at every object`, () => {
      const buf = bytes({ name: "quarterly (Q3) report.pdf", mimeType: "application/pdf", size }).all;
      expect(buf.length).toBe(size);
      expect(pdfStructure(buf).objects).toBe(5);
      expect(buf.toString("latin1")).toContain("(quarterly \\(Q3\\) report.pdf) Tj");
    });
  }
});

describe("text and JSON", () => {
  it("text is ASCII lines naming the file, whatever the name", () => {
    const text = bytes({ name: "海.txt", mimeType: "text/plain; charset=utf-8", size: 500 }).all.toString("latin1");
    expect(text).toMatch(/^Hello from AetherCDN! This is \?\.txt, a sandbox file of 500 bytes\.\n/);
    expect(text).toMatch(/^[\x0a\x20-\x7e]*$/);
  });
  it("JSON parses and names the file", () => {
    const doc = JSON.parse(bytes({ name: "data.json", mimeType: "application/json", size: 300 }).all.toString("utf8")) as unknown;
    expect(doc).toEqual({ sandbox: "AetherCDN", name: "data.json", size: 300 });
  });
});

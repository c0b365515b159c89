/**
 * Format checks for the sandbox's seeded files: each walks the file's structure and fails (with
 * vitest's expect) where it is not valid, then returns what it found.
 */
import { crc32, inflateSync } from "node:zlib";
import { expect } from "vitest";

/** Walks a JPEG: SOI, length-delimited segments, SOS, entropy data, EOI; returns the markers and what follows EOI. */
export function jpegStructure(buf: Buffer): { markers: number[]; comments: number; trailing: number } {
  expect(buf.readUInt16BE(0)).toBe(0xffd8);
  const markers: number[] = [];
  let comments = 0;
  let at = 2;
  for (;;) {
    expect(buf[at], `marker at ${at}`).toBe(0xff);
    const marker = buf[at + 1]!;
    const length = buf.readUInt16BE(at + 2);
    expect(length).toBeGreaterThanOrEqual(2);
    markers.push(marker);
    if (marker === 0xfe) comments++;
    at += 2 + length;
    if (marker === 0xda) break;
    expect(at).toBeLessThan(buf.length);
  }
  // Entropy-coded data: 0xFF is followed by 0x00 (stuffing) or a restart marker until EOI.
  for (; at < buf.length - 1; at++) {
    if (buf[at] !== 0xff) continue;
    const next = buf[at + 1]!;
    if (next === 0xd9) break;
    expect(next === 0x00 || (next >= 0xd0 && next <= 0xd7), `0xFF${next.toString(16)} in the scan at ${at}`).toBe(true);
  }
  expect(buf.readUInt16BE(at)).toBe(0xffd9);
  return { markers, comments, trailing: buf.length - (at + 2) };
}

/** Walks a PNG's chunks, checking each CRC; inflates the image data. */
export function pngStructure(buf: Buffer): { types: string[]; width: number; height: number; pixels: number; trailing: number } {
  expect(buf.subarray(0, 8).toString("hex")).toBe("89504e470d0a1a0a");
  const types: string[] = [];
  const idat: Buffer[] = [];
  let at = 8;
  let width = 0;
  let height = 0;
  for (;;) {
    const length = buf.readUInt32BE(at);
    const type = buf.toString("latin1", at + 4, at + 8);
    const data = buf.subarray(at + 8, at + 8 + length);
    expect(buf.readUInt32BE(at + 8 + length), `CRC of ${type}`).toBe(crc32(data, crc32(buf.subarray(at + 4, at + 8))) >>> 0);
    types.push(type);
    if (type === "IHDR") {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
    }
    if (type === "IDAT") idat.push(Buffer.from(data));
    at += 12 + length;
    if (type === "IEND") break;
  }
  return { types, width, height, pixels: inflateSync(Buffer.concat(idat)).length, trailing: buf.length - at };
}

/** Checks a PDF's trailer and that every cross-reference entry points at its object. */
export function pdfStructure(buf: Buffer): { objects: number } {
  const text = buf.toString("latin1");
  expect(text.startsWith("%PDF-1.4\n")).toBe(true);
  expect(text.endsWith("%%EOF\n")).toBe(true);
  const startxref = Number(/startxref\n(\d+)\n%%EOF\n$/.exec(text)?.[1]);
  expect(text.slice(startxref, startxref + 5)).toBe("xref\n");
  const [, first, count] = /^xref\n(\d+) (\d+)\n/.exec(text.slice(startxref)) ?? [];
  expect(first).toBe("0");
  const entries = text.slice(startxref).split("\n").slice(2, 2 + Number(count));
  for (const [n, entry] of entries.entries()) {
    expect(entry.length, `xref entry ${n}`).toBe(19); // 20 bytes with the "\n"
    if (n === 0) continue;
    const offset = Number(entry.slice(0, 10));
    expect(text.slice(offset, offset + `${n} 0 obj`.length)).toBe(`${n} 0 obj`);
  }
  // The content stream's declared length is its real length.
  const stream = /<< \/Length (\d+) >>\nstream\n([\s\S]*?)endstream/.exec(text);
  expect(stream?.[2]?.length).toBe(Number(stream?.[1]));
  return { objects: Number(count) - 1 };
}


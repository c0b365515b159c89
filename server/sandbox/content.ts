/**
 * The bytes of a seeded file: exactly `size` bytes, the same on every run, and a real file of the
 * declared type, padded inside the format so that it stays valid:
 * - `image/jpeg`: the base picture with comment (COM) segments after the JFIF header;
 * - `image/png`: the base picture with a `tEXt` chunk (`Comment`) before `IEND`;
 * - `application/pdf`: a one-page PDF naming the file, padded with comment lines after the header,
 *   its cross-reference table pointing at the shifted objects;
 * - `application/json`: an object naming the file, then whitespace;
 * - `text/*` (and anything else): ASCII lines naming the file.
 * A size below what the format needs (a JPEG under 544 bytes, a PNG under 1,573, a PDF under about
 * 650 plus the name's length) cannot hold a valid file: those sizes give the format's first `size`
 * bytes; a pad too short for one padding element (1 to 3 bytes for JPEG, 1 to 19 for PNG) goes
 * after the end marker, which decoders ignore.
 */
import { crc32 } from "node:zlib";
import { BASE_JPEG, BASE_PNG } from "./baseImages.js";

/** What the bytes depend on. */
export interface ContentSpec {
  /** The file's name (written into the content). */
  name: string;
  /** Media type, e.g. `image/jpeg`. */
  mimeType: string;
  /** Exact number of bytes. */
  size: number;
}

/** Chunks are at most this long. */
const CHUNK = 64 * 1024;

/** The name as printable ASCII (anything else becomes `?`), for formats that want ASCII. */
function asciiName(name: string): string {
  return name.replace(/[^\x20-\x7e]/g, "?");
}

/** `length` bytes of `pattern` repeated, in chunks of at most {@link CHUNK}. */
function* repeated(pattern: Uint8Array, length: number): Generator<Uint8Array> {
  for (let offset = 0; offset < length; ) {
    const n = Math.min(CHUNK, length - offset);
    const phase = offset % pattern.length;
    const rotated = Buffer.concat([pattern.subarray(phase), pattern.subarray(0, phase)]);
    yield Buffer.alloc(n).fill(rotated);
    offset += n;
  }
}

function filler(spec: ContentSpec): Buffer {
  return Buffer.from(`AetherCDN sandbox file ${asciiName(spec.name)} (${spec.size} bytes). `, "latin1");
}

/** The first `size` bytes of `chunks` (for sizes below a format's minimum). */
function* truncated(chunks: Iterable<Uint8Array>, size: number): Generator<Uint8Array> {
  let left = size;
  for (const chunk of chunks) {
    if (left <= 0) return;
    const part = chunk.length <= left ? chunk : chunk.subarray(0, left);
    left -= part.length;
    yield part;
  }
}

/** End of the JFIF APP0 segment (the padding goes right after it). */
function jpegHeaderEnd(jpeg: Uint8Array): number {
  const buf = Buffer.from(jpeg.buffer, jpeg.byteOffset, jpeg.byteLength);
  if (buf.readUInt16BE(0) !== 0xffd8 || buf.readUInt16BE(2) !== 0xffe0) throw new Error("the base JPEG does not start with SOI + APP0");
  return 4 + buf.readUInt16BE(4);
}

/** Largest COM segment: marker (2) + length field (2) + 65,533 bytes of comment. */
const COM_MAX = 65_537;

function* jpeg(spec: ContentSpec): Generator<Uint8Array> {
  const at = jpegHeaderEnd(BASE_JPEG);
  let pad = spec.size - BASE_JPEG.length;
  if (pad < 0) return yield* truncated([BASE_JPEG], spec.size);
  const trailing = pad > 0 && pad < 4 ? pad : 0;
  pad -= trailing;
  yield BASE_JPEG.subarray(0, at);
  const text = filler(spec);
  // Segments of 4 to COM_MAX bytes adding up to `pad`: full ones, then the rest (at least 4).
  const segments: number[] = [];
  for (let left = pad; left > 0; ) {
    let n = Math.min(left, COM_MAX);
    if (left - n > 0 && left - n < 4) n = left - 4;
    segments.push(n);
    left -= n;
  }
  for (const n of segments) {
    const head = Buffer.from([0xff, 0xfe, 0, 0]);
    head.writeUInt16BE(n - 2, 2);
    yield head;
    yield* repeated(text, n - 4);
  }
  yield BASE_JPEG.subarray(at);
  if (trailing > 0) yield Buffer.alloc(trailing);
}

/** Offset of the `IEND` chunk of the base PNG. */
function pngEndAt(png: Uint8Array): number {
  const buf = Buffer.from(png.buffer, png.byteOffset, png.byteLength);
  let at = 8;
  while (at < buf.length) {
    if (buf.toString("latin1", at + 4, at + 8) === "IEND") return at;
    at += 12 + buf.readUInt32BE(at);
  }
  throw new Error("the base PNG has no IEND chunk");
}

/** Smallest tEXt chunk: length, type, `Comment\0`, CRC. */
const TEXT_CHUNK_MIN = 12 + 8;

function* png(spec: ContentSpec): Generator<Uint8Array> {
  const at = pngEndAt(BASE_PNG);
  const pad = spec.size - BASE_PNG.length;
  if (pad < 0) return yield* truncated([BASE_PNG], spec.size);
  yield BASE_PNG.subarray(0, at);
  if (pad >= TEXT_CHUNK_MIN) {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(pad - 12, 0);
    head.write("tEXt", 4, "latin1");
    const keyword = Buffer.from("Comment\0", "latin1");
    yield head;
    yield keyword;
    let crc = crc32(keyword, crc32(head.subarray(4)));
    for (const chunk of repeated(filler(spec), pad - TEXT_CHUNK_MIN)) {
      crc = crc32(chunk, crc);
      yield chunk;
    }
    const tail = Buffer.alloc(4);
    tail.writeUInt32BE(crc >>> 0, 0);
    yield tail;
  }
  yield BASE_PNG.subarray(at);
  if (pad > 0 && pad < TEXT_CHUNK_MIN) yield Buffer.alloc(pad);
}

/** A PDF string literal: ASCII, with `\`, `(` and `)` escaped. */
function pdfString(text: string): string {
  return `(${asciiName(text).replace(/[\\()]/g, (c) => `\\${c}`)})`;
}

/** The PDF before and after the padding, with the cross-reference offsets shifted by `pad`. */
function pdfParts(spec: ContentSpec, pad: number): { head: string; body: string } {
  const head = "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n";
  const text = `BT /F1 24 Tf 72 760 Td ${pdfString("AetherCDN sandbox")} Tj /F1 14 Tf 0 -36 Td ${pdfString(spec.name)} Tj 0 -20 Td ${pdfString(`${spec.size} bytes`)} Tj ET\n`;
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    `<< /Length ${text.length} >>\nstream\n${text}endstream`,
  ];
  let body = "";
  const offsets: number[] = [];
  for (const [i, object] of objects.entries()) {
    offsets.push(head.length + pad + body.length);
    body += `${i + 1} 0 obj\n${object}\nendobj\n`;
  }
  const xrefAt = head.length + pad + body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) body += `${String(offset).padStart(10, "0")} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xrefAt}\n%%EOF\n`;
  return { head, body };
}

function* pdf(spec: ContentSpec): Generator<Uint8Array> {
  // The `startxref` number grows with the padding: settle the padding whose PDF is `size` long.
  let pad = 0;
  let parts = pdfParts(spec, 0);
  for (let i = 0; i < 4; i++) {
    const base = parts.head.length + parts.body.length;
    pad = Math.max(0, spec.size - base);
    parts = pdfParts(spec, pad);
  }
  const base = parts.head.length + parts.body.length;
  if (base + pad !== spec.size) return yield* truncated([Buffer.from(parts.head + parts.body, "latin1")], spec.size);
  yield Buffer.from(parts.head, "latin1");
  // Comment lines of 80 bytes ("%…\n"), then a shorter one; a single byte left over is a newline.
  const text = filler(spec);
  const comment = (n: number) => Buffer.concat([Buffer.from("%"), Buffer.alloc(n - 2).fill(text), Buffer.from("\n")]);
  const rest = pad % 80;
  yield* repeated(comment(80), pad - rest);
  if (rest === 1) yield Buffer.from("\n");
  else if (rest > 1) yield comment(rest);
  yield Buffer.from(parts.body, "latin1");
}

function* json(spec: ContentSpec): Generator<Uint8Array> {
  const doc = Buffer.from(JSON.stringify({ sandbox: "AetherCDN", name: spec.name, size: spec.size }), "utf8");
  if (doc.length >= spec.size) return yield* truncated([doc], spec.size);
  yield doc;
  yield* repeated(Buffer.from(" "), spec.size - doc.length - 1);
  yield Buffer.from("\n");
}

function* text(spec: ContentSpec): Generator<Uint8Array> {
  const first = Buffer.from(`Hello from AetherCDN! This is ${asciiName(spec.name)}, a sandbox file of ${spec.size} bytes.\n`, "latin1");
  yield* truncated([first], spec.size);
  yield* repeated(Buffer.from("The quick brown fox jumps over the lazy dog.\n", "latin1"), spec.size - first.length);
}

/** The bytes of a seeded file, as chunks (at most 64 KiB each), exactly `spec.size` bytes in all. */
export function sandboxContent(spec: ContentSpec): Iterable<Uint8Array> {
  if (!Number.isSafeInteger(spec.size) || spec.size < 0) throw new RangeError(`size must be a non-negative integer, got ${spec.size}`);
  const type = spec.mimeType.toLowerCase().split(";")[0]!.trim();
  if (type === "image/jpeg") return jpeg(spec);
  if (type === "image/png") return png(spec);
  if (type === "application/pdf") return pdf(spec);
  if (type === "application/json" || type.endsWith("+json")) return json(spec);
  return text(spec);
}

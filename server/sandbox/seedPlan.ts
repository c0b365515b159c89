/**
 * What the sandbox seeds, read from the spec at start-up (so it follows whatever examples
 * openapi.yaml has):
 * - every `File` object of a success example (any operation's 2xx/3xx response, request bodies,
 *   parameters, component examples) becomes a file with that id, name, size, media type,
 *   description, tags, folder and timestamps; every `Folder` object a folder. When the same id
 *   appears several times, a read (GET) example wins over a create (POST), which wins over a change
 *   (PATCH: its example shows the state after the change);
 * - every other `file_…` / `fld_…` id found in those examples or in an `x-codeSamples` source (a
 *   folder a file names, `file_123` in a curl sample) becomes a stand-in: a file with the first
 *   file example's name, size, type, description and tags, at the top level; an empty folder;
 * - the user's bandwidth counter starts at the `bandwidthUsedBytes` of the statistics example.
 * Error examples (4xx/5xx) are not read: an id there may be meant not to exist.
 */
import { createHash } from "node:crypto";
import type { OpenApiDocument } from "../spec.js";
import { deref, exampleValues, isObject } from "./specWalk.js";

/** A file to create. */
export interface SeedFile {
  id: string;
  name: string;
  size: number;
  mimeType: string;
  description: string | null;
  tags: string[];
  folderId: string | null;
  createdAt: string;
  updatedAt: string;
  /** Where the spec shows it (e.g. `listFiles 200 page`), or `stand-in for …`. */
  source: string;
  /**
   * The file's bytes as the spec shows them: a string example (the download's) whose UTF-8 bytes
   * have the file example's size and SHA-256. Absent: bytes are generated (content.ts).
   */
  content?: string;
}

/** A folder to create. */
export interface SeedFolder {
  id: string;
  name: string;
  parentId: string | null;
  createdAt: string;
  source: string;
}

/** The seed of one tenant. */
export interface SeedPlan {
  /** Parents before children. */
  folders: SeedFolder[];
  /** Oldest first. */
  files: SeedFile[];
  /** Initial value of the bandwidth counter. */
  bandwidthBytes: number;
  /** The statistics example's totals, when the spec has one (to compare with the seed's). */
  statsExample?: { totalFiles?: number; totalSize?: number; totalFolders?: number };
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonMap = { [key: string]: Json };

const FILE_ID = /^file_[A-Za-z0-9]{1,59}$/;
const FOLDER_ID = /^fld_[A-Za-z0-9]{1,60}$/;
const ID_IN_TEXT = /\b(?:file_[A-Za-z0-9]{1,59}|fld_[A-Za-z0-9]{1,60})\b/g;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
/** Timestamp of stand-ins when the examples give none to start from. */
const DEFAULT_TIME = "2026-01-01T00:00:00.000Z";
/** A stand-in file when the spec has no file example at all. */
const DEFAULT_FILE = { name: "hello.txt", size: 22, mimeType: "text/plain", description: null, tags: [] as string[] };

const rank = (method: string): number => (method === "get" || method === "head" ? 0 : method === "post" ? 1 : 2);

interface Found {
  value: Json;
  where: string;
  rank: number;
}

/** The example values of a media type, parameter or header object. */
function examplesOf(doc: OpenApiDocument, holder: unknown, where: string, r: number): Found[] {
  return exampleValues(doc, holder).map(({ name, value }) => ({ value: value as Json, where: name === "example" ? where : `${where} ${name}`, rank: r }));
}

/** Every success example, request example, parameter example and code sample of `doc`. */
function collect(doc: OpenApiDocument): { examples: Found[]; samples: string[] } {
  const examples: Found[] = [];
  const samples: string[] = [];
  for (const item of Object.values(doc.paths)) {
    if (!isObject(item)) continue;
    const shared = Array.isArray(item.parameters) ? item.parameters : [];
    for (const [method, raw] of Object.entries(item)) {
      if (!isObject(raw) || typeof raw.operationId !== "string") continue;
      const op = raw;
      const r = rank(method);
      const id = op.operationId as string;
      for (const p of [...shared, ...(Array.isArray(op.parameters) ? op.parameters : [])]) {
        examples.push(...examplesOf(doc, p, `${id} parameter`, r));
      }
      const body = deref(doc, op.requestBody);
      if (isObject(body) && isObject(body.content)) {
        for (const media of Object.values(body.content)) examples.push(...examplesOf(doc, media, `${id} request`, r));
      }
      for (const [status, response] of Object.entries(isObject(op.responses) ? op.responses : {})) {
        if (!/^[23]/.test(status)) continue;
        const res = deref(doc, response);
        if (!isObject(res) || !isObject(res.content)) continue;
        for (const media of Object.values(res.content)) examples.push(...examplesOf(doc, media, `${id} ${status}`, r));
      }
      const codeSamples = op["x-codeSamples"];
      if (Array.isArray(codeSamples)) {
        for (const s of codeSamples) if (isObject(s) && typeof s.source === "string") samples.push(s.source);
      }
    }
  }
  const components = isObject(doc.components) ? doc.components : {};
  for (const group of ["parameters", "schemas"] as const) {
    const entries = components[group];
    if (!isObject(entries)) continue;
    for (const [name, entry] of Object.entries(entries)) {
      if (!isObject(entry)) continue;
      if (group === "schemas" && Array.isArray(entry.examples)) {
        for (const value of entry.examples) examples.push({ value: value as Json, where: `schema ${name}`, rank: 3 });
      } else {
        examples.push(...examplesOf(doc, entry, `${group} ${name}`, 3));
      }
    }
  }
  return { examples, samples };
}

function asFile(v: JsonMap): (Omit<SeedFile, "source"> & { sha256?: string }) | undefined {
  if (typeof v.id !== "string" || !FILE_ID.test(v.id) || typeof v.name !== "string" || typeof v.size !== "number") return undefined;
  const createdAt = typeof v.createdAt === "string" && ISO.test(v.createdAt) ? v.createdAt : DEFAULT_TIME;
  const updatedAt = typeof v.updatedAt === "string" && ISO.test(v.updatedAt) && v.updatedAt >= createdAt ? v.updatedAt : createdAt;
  return {
    id: v.id,
    name: v.name,
    size: v.size,
    mimeType: typeof v.mimeType === "string" ? v.mimeType : "application/octet-stream",
    description: typeof v.description === "string" ? v.description : null,
    tags: Array.isArray(v.tags) ? v.tags.filter((t): t is string => typeof t === "string") : [],
    folderId: typeof v.folderId === "string" && FOLDER_ID.test(v.folderId) ? v.folderId : null,
    createdAt,
    updatedAt,
    ...(typeof v.sha256 === "string" && { sha256: v.sha256 }),
  };
}

function asFolder(v: JsonMap): Omit<SeedFolder, "source"> | undefined {
  if (typeof v.id !== "string" || !FOLDER_ID.test(v.id) || typeof v.name !== "string" || !("parentId" in v)) return undefined;
  return {
    id: v.id,
    name: v.name,
    parentId: typeof v.parentId === "string" && FOLDER_ID.test(v.parentId) ? v.parentId : null,
    createdAt: typeof v.createdAt === "string" && ISO.test(v.createdAt) ? v.createdAt : DEFAULT_TIME,
  };
}

/** Walks an example value: entity objects, every id mentioned, and the statistics. */
function walk(value: Json, visit: (v: Json) => void): void {
  visit(value);
  if (Array.isArray(value)) for (const v of value) walk(v, visit);
  else if (isObject(value)) for (const v of Object.values(value)) walk(v, visit);
}

/** An ISO time `hours` before `iso`. */
function before(iso: string, hours: number): string {
  return new Date(Date.parse(iso) - hours * 3_600_000).toISOString();
}

/** Reads the seed of the main tenant from `doc` (see the module comment). */
export function seedPlanFromSpec(doc: OpenApiDocument): SeedPlan {
  const { examples, samples } = collect(doc);
  const files = new Map<string, { file: Omit<SeedFile, "source"> & { sha256?: string }; source: string; rank: number }>();
  const strings = new Set<string>();
  const folders = new Map<string, { folder: Omit<SeedFolder, "source">; source: string; rank: number }>();
  const mentioned = new Set<string>();
  let bandwidthBytes = 0;
  let statsExample: SeedPlan["statsExample"];

  // Lower rank first; stable, so document order breaks ties.
  for (const found of [...examples].sort((a, b) => a.rank - b.rank)) {
    walk(found.value, (v) => {
      if (typeof v === "string") {
        strings.add(v);
        for (const m of v.matchAll(ID_IN_TEXT)) mentioned.add(m[0]);
      }
      if (!isObject(v)) return;
      const file = asFile(v);
      if (file && !files.has(file.id)) files.set(file.id, { file, source: found.where, rank: found.rank });
      const folder = asFolder(v);
      if (folder && !folders.has(folder.id)) folders.set(folder.id, { folder, source: found.where, rank: found.rank });
      if (statsExample === undefined && typeof v.bandwidthUsedBytes === "number" && Number.isSafeInteger(v.bandwidthUsedBytes) && v.bandwidthUsedBytes >= 0) {
        bandwidthBytes = v.bandwidthUsedBytes;
        statsExample = {
          ...(typeof v.totalFiles === "number" && { totalFiles: v.totalFiles }),
          ...(typeof v.totalSize === "number" && { totalSize: v.totalSize }),
          ...(typeof v.totalFolders === "number" && { totalFolders: v.totalFolders }),
        };
      }
    });
  }
  for (const source of samples) for (const m of source.matchAll(ID_IN_TEXT)) mentioned.add(m[0]);
  for (const { file } of files.values()) if (file.folderId) mentioned.add(file.folderId);
  for (const { folder } of folders.values()) if (folder.parentId) mentioned.add(folder.parentId);

  const times = [...files.values()].map((f) => f.file.createdAt).concat([...folders.values()].map((f) => f.folder.createdAt));
  const earliest = times.length > 0 ? times.reduce((a, b) => (a < b ? a : b)) : DEFAULT_TIME;
  const template = [...files.values()][0]?.file ?? DEFAULT_FILE;
  let standIns = 0;
  for (const id of [...mentioned].sort()) {
    if (files.has(id) || folders.has(id)) continue;
    const at = before(earliest, ++standIns);
    if (id.startsWith("file_")) {
      const { name, size, mimeType, description, tags } = template;
      files.set(id, { file: { id, name, size, mimeType, description, tags, folderId: null, createdAt: at, updatedAt: at }, source: `stand-in for ${id}`, rank: 9 });
    } else {
      folders.set(id, { folder: { id, name: "Sample folder", parentId: null, createdAt: at }, source: `stand-in for ${id}`, rank: 9 });
    }
  }

  const contentOf = (file: { size: number; sha256?: string }): string | undefined =>
    file.sha256 === undefined ? undefined : [...strings].find((text) => Buffer.byteLength(text) === file.size && createHash("sha256").update(text).digest("hex") === file.sha256);
  return {
    folders: parentsFirst([...folders.values()].map((f) => ({ ...f.folder, source: f.source }))),
    files: [...files.values()]
      .map(({ file: { sha256: _sha256, ...file }, source }) => {
        const content = contentOf({ size: file.size, sha256: _sha256 });
        return { ...file, source, ...(content !== undefined && { content }) };
      }).sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0)),
    bandwidthBytes,
    ...(statsExample && { statsExample }),
  };
}

/** Folders ordered so that each comes after its parent. Throws on a cycle. */
function parentsFirst(folders: SeedFolder[]): SeedFolder[] {
  const byId = new Map(folders.map((f) => [f.id, f]));
  const out: SeedFolder[] = [];
  const state = new Map<string, "visiting" | "done">();
  const visit = (f: SeedFolder) => {
    if (state.get(f.id) === "done") return;
    if (state.get(f.id) === "visiting") throw new Error(`the spec's folder examples form a cycle through ${f.id}`);
    state.set(f.id, "visiting");
    const parent = f.parentId ? byId.get(f.parentId) : undefined;
    if (parent) visit(parent);
    state.set(f.id, "done");
    out.push(f);
  };
  for (const f of folders) visit(f);
  return out;
}

/**
 * Where a run's resources live, and how they go away again. A stateful run first creates one
 * folder of its own at the top level (`aether-conformance-<time>-<random>`, a name nobody else
 * uses); every file and folder the checks create goes inside it, and every id a `POST` answer
 * names is recorded with the key that created it. {@link Workspace.cleanUp} then deletes:
 *
 * 1. every file in the folder's tree (listed by folder, page after page);
 * 2. every recorded file, wherever it ended up (a server that ignores `folderId` puts it at the
 *    top level: it is deleted all the same);
 * 3. the tree's folders, deepest first, the run's folder last, and any recorded folder outside it.
 *
 * It never deletes anything it did not create: the tree is the run's own folder, and recorded ids
 * come only from answers to the run's own creations. Clean-up sends with its own loop (waiting
 * out `429`s), not through the session, so it also runs after the run failed or was aborted.
 *
 * Placement: a request that would create something at the top level, or move a file there, is
 * pointed at the run's folder instead ({@link Workspace.place}): for `POST` operations, a folder-id
 * property of the body (found from the spec: a `fld_` pattern) that is absent or `null`; for other
 * methods, one that is `null`. Top-level placement is the one valid input the kit leaves out
 * (tests/server covers it on the reference server).
 */
import { randomBytes } from "node:crypto";
import type { OpenApiOracle, OperationInfo, Schema } from "../support/openapi-oracle.js";
import { send, type Exchange, type RequestSpec } from "./exchange.js";
import { idKind } from "./plans.js";

/** What clean-up did. */
export interface CleanupReport {
  /** Name and id of the run's folder. */
  folder: { name: string; id: string };
  deletedFiles: number;
  deletedFolders: number;
  /** What could not be deleted, with the answer (empty when the account is as it was). */
  left: string[];
}

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

/** The key a request authenticates with (`Authorization: Bearer …` or `X-API-Key`), if any. */
export function keyOf(req: RequestSpec): string | undefined {
  for (const [name, value] of Object.entries(req.headers ?? {})) {
    if (name.toLowerCase() === "x-api-key") return value;
    const bearer = name.toLowerCase() === "authorization" ? /^Bearer\s+(\S+)$/i.exec(value)?.[1] : undefined;
    if (bearer) return bearer;
  }
  return undefined;
}

/** A name for a run's folder: recognisable, sortable, unique. */
export function runFolderName(now = new Date()): string {
  return `aether-conformance-${now.toISOString().replace(/[:.]/g, "-")}-${randomBytes(4).toString("hex")}`;
}

/** Clean-up gives up on a request still answered `429` after this long. */
const CLEANUP_PATIENCE_MS = 5 * 60_000;

/** The run's folder, what was created, and the clean-up. */
export class Workspace {
  /** Recorded creations, by kind, each with the key that made it, in creation order. */
  private readonly created = { file: new Map<string, string>(), folder: new Map<string, string>() };
  private readonly folderFields = new Map<string, string[]>();

  private constructor(
    private readonly oracle: OpenApiOracle,
    private readonly baseUrl: string,
    private readonly mainKey: string,
    /** The run's folder. */
    readonly folder: { name: string; id: string },
  ) {}

  /**
   * Creates the run's folder (through `sendCreate`, so the request is judged like any other)
   * and returns the workspace around it.
   */
  static async open(
    oracle: OpenApiOracle,
    baseUrl: string,
    mainKey: string,
    sendCreate: (req: RequestSpec) => Promise<Exchange>,
  ): Promise<Workspace> {
    const op = oracle.operationById("createFolder");
    const name = runFolderName();
    const exchange = await sendCreate({
      method: op.method.toUpperCase(),
      path: op.path,
      headers: { Authorization: `Bearer ${mainKey}` },
      body: { kind: "json", value: { name } },
    });
    const id = (exchange.json as { folder?: { id?: unknown } } | undefined)?.folder?.id;
    if (exchange.status !== 201 || typeof id !== "string") {
      throw new Error(`could not create the run's folder on ${baseUrl}: createFolder answered ${exchange.status} ${exchange.text.slice(0, 200)} (is the key right, with files:write?)`);
    }
    const workspace = new Workspace(oracle, baseUrl, mainKey, { name, id });
    workspace.created.folder.set(id, mainKey);
    return workspace;
  }

  /** Body properties of `op` that name a folder (by the spec's id pattern). */
  private folderFieldsOf(op: OperationInfo): string[] {
    const key = `${op.method} ${op.path}`;
    const cached = this.folderFields.get(key);
    if (cached) return cached;
    const body = op.operation.requestBody;
    const media = isObj(body) && isObj(body.content) ? Object.values(body.content)[0] : undefined;
    const schema = this.oracle.derefSchema(isObj(media) ? (media.schema as Schema | undefined) : undefined);
    const props = isObj(schema) && isObj(schema.properties) ? (schema.properties as Record<string, Schema>) : {};
    const fields = Object.entries(props)
      .filter(([, sub]) => idKind(this.oracle, sub) === "folder")
      .map(([name]) => name);
    this.folderFields.set(key, fields);
    return fields;
  }

  /** `req` with any top-level placement pointed at the run's folder (see the module comment). */
  place(req: RequestSpec, op: OperationInfo | undefined): RequestSpec {
    if (!op || !req.body) return req;
    const fields = this.folderFieldsOf(op);
    if (fields.length === 0) return req;
    const creates = op.method === "post";
    const mediaType = Object.keys((op.operation.requestBody as { content?: Json } | undefined)?.content ?? {})[0];
    const body = req.body;
    if (body.kind === "json" && mediaType === "application/json" && isObj(body.value)) {
      const value = { ...body.value };
      let changed = false;
      for (const f of fields) {
        if (value[f] === null || (creates && !(f in value))) {
          value[f] = this.folder.id;
          changed = true;
        }
      }
      return changed ? { ...req, body: { kind: "json", value } } : req;
    }
    if (body.kind === "multipart" && mediaType === "multipart/form-data" && creates) {
      const missing = fields.filter((f) => !body.fields.some(([name]) => name === f));
      if (missing.length === 0) return req;
      return { ...req, body: { ...body, fields: [...body.fields, ...missing.map((f): [string, string] => [f, this.folder.id])] } };
    }
    return req;
  }

  /** Records what a `POST` answered with `2xx` created (`file.id` / `folder.id`), with its key. */
  track(req: RequestSpec, exchange: Exchange): void {
    if (req.method !== "POST" || exchange.status < 200 || exchange.status >= 300 || !isObj(exchange.json)) return;
    const key = keyOf(req) ?? this.mainKey;
    for (const kind of ["file", "folder"] as const) {
      const id = (exchange.json[kind] as Json | undefined)?.id;
      if (typeof id === "string" && !this.created[kind].has(id)) this.created[kind].set(id, key);
    }
  }

  /** Number of files and folders recorded so far. */
  get recorded(): { files: number; folders: number } {
    return { files: this.created.file.size, folders: this.created.folder.size };
  }

  /** One request, retried while it answers `429` (waiting `Retry-After`), for at most five minutes. */
  private async call(operationId: string, key: string, opts: { id?: string; query?: Record<string, string> } = {}): Promise<Exchange> {
    const op = this.oracle.operationById(operationId);
    const req: RequestSpec = {
      method: op.method.toUpperCase(),
      path: op.path.replace(/\{[^}]+\}/g, encodeURIComponent(opts.id ?? "")),
      headers: { Authorization: `Bearer ${key}` },
      ...(opts.query && { query: opts.query }),
    };
    const deadline = Date.now() + CLEANUP_PATIENCE_MS;
    for (;;) {
      const exchange = await send(this.baseUrl, req);
      if (exchange.status !== 429 || Date.now() > deadline) return exchange;
      const wait = Number(exchange.headers.get("retry-after") ?? "1");
      await new Promise((resolve) => setTimeout(resolve, Math.min(60, Number.isFinite(wait) && wait > 0 ? wait : 1) * 1000));
    }
  }

  /** The run folder's tree (itself first, then parents before children), as the main key lists folders. */
  private async tree(): Promise<{ ids: string[]; error?: string }> {
    const res = await this.call("listFolders", this.mainKey);
    const folders = (isObj(res.json) && Array.isArray(res.json.folders) ? res.json.folders : []) as Json[];
    if (res.status !== 200) return { ids: [this.folder.id], error: `listFolders answered ${res.status}` };
    const ids = [this.folder.id];
    for (let i = 0; i < ids.length; i++) {
      for (const f of folders) if (f.parentId === ids[i] && typeof f.id === "string" && !ids.includes(f.id)) ids.push(f.id);
    }
    return { ids };
  }

  /** Deletes everything the run created (see the module comment); never throws. */
  async cleanUp(): Promise<CleanupReport> {
    const left: string[] = [];
    let deletedFiles = 0;
    let deletedFolders = 0;
    const gone = new Set<string>();
    const remove = async (kind: "file" | "folder", id: string, key: string): Promise<void> => {
      if (gone.has(id)) return;
      const res = await this.call(kind === "file" ? "deleteFile" : "deleteFolder", key, { id });
      if (res.status >= 200 && res.status < 300) {
        if (kind === "file") deletedFiles++;
        else deletedFolders++;
        gone.add(id);
      } else if (res.status === 404) gone.add(id);
      else left.push(`${kind} ${id}: delete answered ${res.status} ${res.text.slice(0, 120)}`);
    };
    try {
      const { ids: tree, error } = await this.tree();
      if (error) left.push(`the run's folder tree could not be listed (${error}): only recorded ids are deleted`);
      for (const folderId of tree) {
        // Deleting while listing: always read the first page again, until it is empty.
        for (let round = 0; round < 10_000; round++) {
          const page = await this.call("listFiles", this.mainKey, { query: { folderId, limit: "100" } });
          const files = (isObj(page.json) && Array.isArray(page.json.files) ? page.json.files : []) as Json[];
          const ids = files.map((f) => String(f.id)).filter((id) => !gone.has(id));
          if (page.status !== 200 || ids.length === 0) break;
          const before = gone.size;
          for (const id of ids) await remove("file", id, this.created.file.get(id) ?? this.mainKey);
          if (gone.size === before) break;
        }
      }
      for (const [id, key] of this.created.file) await remove("file", id, key);
      const outside = [...this.created.folder.keys()].filter((id) => !tree.includes(id)).reverse();
      for (const id of [...tree.slice(1).reverse(), ...outside, this.folder.id]) await remove("folder", id, this.created.folder.get(id) ?? this.mainKey);
    } catch (err) {
      left.push(`clean-up stopped: ${err instanceof Error ? err.message : String(err)}`);
    }
    return { folder: this.folder, deletedFiles, deletedFolders, left };
  }
}

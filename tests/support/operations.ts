/**
 * One valid request per secured operation, so that auth, tenant, rate-limit and failure tests can
 * run the same check over every operation of the spec.
 */
import type { Scope } from "../../server/auth/apiKeys.js";

/** Ids a request is built from (the caller's own, another tenant's, or made up). */
export interface OpTarget {
  fileId: string;
  folderId: string;
}

/** A secured operation and how to call it. */
export interface OpCase {
  operationId: string;
  method: string;
  /** The scope the spec requires. */
  scope: Scope;
  /** Writes change state: tests of 401/403 check nothing changed. */
  write: boolean;
  /** Sends a well-formed request with `headers` (auth) against `target`. */
  send(baseUrl: string, headers: Record<string, string>, target: OpTarget): Promise<Response>;
}

function form(): FormData {
  const f = new FormData();
  f.append("description", "x");
  f.append("file", new Blob(["hello"], { type: "text/plain" }), "hello.txt");
  return f;
}

const jsonHeaders = (headers: Record<string, string>) => ({ ...headers, "Content-Type": "application/json" });

/** Every operation of openapi.yaml with a security requirement (all but getHealth). */
export const SECURED_OPERATIONS: readonly OpCase[] = [
  {
    operationId: "listFiles",
    method: "GET",
    scope: "files:read",
    write: false,
    send: (base, headers) => fetch(`${base}/api/v1/files?limit=10`, { headers }),
  },
  {
    operationId: "uploadFile",
    method: "POST",
    scope: "files:write",
    write: true,
    send: (base, headers) => fetch(`${base}/api/v1/files/upload`, { method: "POST", headers, body: form() }),
  },
  {
    operationId: "getFile",
    method: "GET",
    scope: "files:read",
    write: false,
    send: (base, headers, t) => fetch(`${base}/api/v1/files/${t.fileId}`, { headers }),
  },
  {
    operationId: "updateFile",
    method: "PATCH",
    scope: "files:write",
    write: true,
    send: (base, headers, t) =>
      fetch(`${base}/api/v1/files/${t.fileId}`, { method: "PATCH", headers: jsonHeaders(headers), body: JSON.stringify({ description: "changed" }) }),
  },
  {
    operationId: "deleteFile",
    method: "DELETE",
    scope: "files:write",
    write: true,
    send: (base, headers, t) => fetch(`${base}/api/v1/files/${t.fileId}`, { method: "DELETE", headers }),
  },
  {
    operationId: "downloadFile",
    method: "GET",
    scope: "files:read",
    write: false,
    send: (base, headers, t) => fetch(`${base}/api/v1/files/${t.fileId}/download`, { headers }),
  },
  {
    operationId: "downloadFileHead",
    method: "HEAD",
    scope: "files:read",
    write: false,
    send: (base, headers, t) => fetch(`${base}/api/v1/files/${t.fileId}/download`, { method: "HEAD", headers }),
  },
  {
    operationId: "listFolders",
    method: "GET",
    scope: "files:read",
    write: false,
    send: (base, headers) => fetch(`${base}/api/v1/folders`, { headers }),
  },
  {
    operationId: "createFolder",
    method: "POST",
    scope: "files:write",
    write: true,
    send: (base, headers) => fetch(`${base}/api/v1/folders`, { method: "POST", headers: jsonHeaders(headers), body: JSON.stringify({ name: "New" }) }),
  },
  {
    operationId: "deleteFolder",
    method: "DELETE",
    scope: "files:write",
    write: true,
    send: (base, headers, t) => fetch(`${base}/api/v1/folders/${t.folderId}`, { method: "DELETE", headers }),
  },
  {
    operationId: "getUserStats",
    method: "GET",
    scope: "user:read",
    write: false,
    send: (base, headers) => fetch(`${base}/api/v1/user/stats`, { headers }),
  },
];

/** Ids that are well-formed but belong to nobody. */
export const MISSING: OpTarget = { fileId: "file_DoesNotExist000000", folderId: "fld_DoesNotExist0000000" };

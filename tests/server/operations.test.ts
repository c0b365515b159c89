/**
 * The server against the contract, statically: one handler per operationId and no stray ones,
 * the error-code registry equal to the spec's ErrorCode enum and status table, and a start-up
 * smoke test (an invalid spec would make every request a 500 rather than stop the start).
 */
import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import YAML from "yaml";
import { ERROR_CODES } from "../../server/http/apiError.js";
import { operationHandlers } from "../../server/operations/index.js";
import { loadBundledSpec, specOperations } from "../../server/spec.js";
import { json } from "../support/http.js";
import { REPO_ROOT, SPEC_PATH } from "../support/openapi-oracle.js";
import { startServer, type TestServer } from "../support/server.js";

const OPERATIONS_DIR = join(REPO_ROOT, "server", "operations");
/** Modules of server/operations that are not handlers. */
const SUPPORT_MODULES = ["index.ts", "types.ts", "representations.ts"];
const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

interface Spec {
  info: { description: string };
  paths: Record<string, Record<string, { operationId?: string }>>;
  components: { schemas: { ErrorCode: { enum: string[] } } };
}

let spec: Spec;
let operationIds: string[];

beforeAll(async () => {
  spec = YAML.parse(await readFile(SPEC_PATH, "utf8"), { maxAliasCount: -1 }) as Spec;
  operationIds = Object.values(spec.paths).flatMap((item) =>
    METHODS.map((m) => item[m]?.operationId).filter((id): id is string => typeof id === "string"),
  );
});

describe("handlers", () => {
  it("the spec has operations, each with a unique operationId", () => {
    expect(operationIds.length).toBeGreaterThanOrEqual(12);
    expect(new Set(operationIds).size).toBe(operationIds.length);
  });

  it("every operationId has server/operations/<operationId>.ts exporting that handler", async () => {
    for (const id of operationIds) {
      const file = join(OPERATIONS_DIR, `${id}.ts`);
      expect(existsSync(file), `${file} is missing`).toBe(true);
      const mod = (await import(file)) as Record<string, unknown>;
      expect(typeof mod[id], `${id}.ts exports ${id}`).toBe("function");
      expect(operationHandlers[id as keyof typeof operationHandlers], `index.ts maps ${id} to ${id}.ts's export`).toBe(mod[id]);
    }
  });

  it("operationHandlers has exactly the spec's operationIds", () => {
    expect(Object.keys(operationHandlers).sort()).toEqual([...operationIds].sort());
  });

  it("every handler file is named after an operationId", async () => {
    const files = (await readdir(OPERATIONS_DIR)).filter((f) => f.endsWith(".ts") && !SUPPORT_MODULES.includes(f));
    expect(files.map((f) => f.replace(/\.ts$/, "")).sort()).toEqual([...operationIds].sort());
  });

  it("the bundled spec the server runs on (docs/openapi.json) has the same operations", () => {
    const bundled = specOperations(loadBundledSpec());
    expect(bundled.map((o) => o.operationId).sort()).toEqual([...operationIds].sort());
    expect(bundled.filter((o) => !o.secured).map((o) => o.operationId)).toEqual(["getHealth"]);
  });
});

describe("error codes", () => {
  it("ERROR_CODES and the spec's ErrorCode enum are the same set", () => {
    expect(Object.keys(ERROR_CODES).sort()).toEqual([...spec.components.schemas.ErrorCode.enum].sort());
  });

  it("each code has the status of the spec's error table", () => {
    const table = new Map<string, number>();
    for (const m of spec.info.description.matchAll(/^\|\s*(\d{3})\s*\|\s*`([a-z_]+)`\s*\|/gm)) table.set(m[2]!, Number(m[1]));
    expect([...table.keys()].sort()).toEqual(Object.keys(ERROR_CODES).sort());
    for (const [code, entry] of Object.entries(ERROR_CODES)) expect(entry.status, code).toBe(table.get(code));
  });

  it("each status an operation declares for errors maps to a code of that status", () => {
    const statuses = new Set<number>(Object.values(ERROR_CODES).map((e) => e.status));
    const declared = Object.values(spec.paths).flatMap((item) =>
      METHODS.flatMap((m) => Object.keys((item[m] as { responses?: Record<string, unknown> } | undefined)?.responses ?? {})),
    );
    for (const status of declared.map(Number).filter((s) => s >= 400)) expect(statuses.has(status), String(status)).toBe(true);
  });
});

describe("start-up smoke test", () => {
  let srv: TestServer;
  beforeAll(async () => {
    srv = await startServer();
  });
  afterAll(() => srv?.close());

  it("createApp starts and /api/v1/health answers 200", async () => {
    expect(await json(await fetch(`${srv.baseUrl}/api/v1/health`))).toEqual({ success: true, status: "ok", version: "1.0.0" });
  });

  it("an authenticated operation answers 200 (the validator accepted the spec)", async () => {
    const res = await fetch(`${srv.baseUrl}/api/v1/files`, { headers: { Authorization: `Bearer ${srv.keys.full}` } });
    expect(res.status).toBe(200);
    await res.body?.cancel();
  });
});

// Runs the type-level tests of aethercdn/client inside `npm test`: `tsc -p tests/types/tsconfig.json`
// over client.types.ts must report nothing (every @ts-expect-error there is needed, every
// expectTypeOf holds). A canary with two deliberately wrong assertions, written to a git-ignored
// temp dir (so `npm run typecheck` never sees it), must make the same tsc fail with exactly those
// errors: proof that this test can fail.
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { REPO_ROOT } from "../support/openapi-oracle.js";

const TSC = path.join(REPO_ROOT, "node_modules", "typescript", "bin", "tsc");

function tsc(project: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [TSC, "--noEmit", "--pretty", "false", "-p", project], { cwd: REPO_ROOT, timeout: 170_000, maxBuffer: 16 * 1024 * 1024, encoding: "utf8" }, (err, stdout, stderr) => {
      if (err && typeof err.code !== "number") return reject(err);
      resolve({ code: err ? (err.code as number) : 0, output: `${stdout}${stderr}`.trim() });
    });
  });
}

const CANARY = `import { expectTypeOf } from "vitest";
import { createAetherClient, type AetherApiError } from "../../client/node.js";
const aether = createAetherClient({ baseUrl: "http://127.0.0.1:8080", apiKey: "ak_x" });
// CANARY-1: a valid call, so the directive is unused (TS2578).
// @ts-expect-error
void aether.GET("/api/v1/files", { params: { query: { limit: 10 } } });
// CANARY-2: the code is the ErrorCode union, not string (TS2344).
expectTypeOf<AetherApiError["code"]>().toEqualTypeOf<string>();
`;

let canaryDir: string | undefined;
let main: { code: number; output: string };
let canary: { code: number; output: string };

// Both checks at once (each tsc run takes a while).
beforeAll(async () => {
  // Two levels below the repo root, like tests/types, so the relative imports are the same.
  await mkdir(path.join(REPO_ROOT, ".tmp"), { recursive: true });
  canaryDir = await mkdtemp(path.join(REPO_ROOT, ".tmp", "types-canary-"));
  await writeFile(path.join(canaryDir, "canary.types.ts"), CANARY);
  await writeFile(
    path.join(canaryDir, "tsconfig.json"),
    JSON.stringify({ extends: "../../tsconfig.json", compilerOptions: { noEmit: true }, include: ["canary.types.ts"] }),
  );
  [main, canary] = await Promise.all([tsc(path.join(REPO_ROOT, "tests", "types", "tsconfig.json")), tsc(path.join(canaryDir, "tsconfig.json"))]);
}, 180_000);

afterAll(async () => {
  if (canaryDir) await rm(canaryDir, { recursive: true, force: true });
});

it("tests/types/client.types.ts type-checks (tsc -p tests/types/tsconfig.json)", () => {
  expect(main.output).toBe("");
  expect(main.code).toBe(0);
});

it("the same check fails on a canary with wrong assertions", () => {
  expect(canary.code).not.toBe(0);
  const errors = canary.output.split("\n").filter((l) => /error TS\d+/.test(l));
  expect(errors).toHaveLength(2);
  expect(errors[0]).toMatch(/canary\.types\.ts\(5,1\): error TS2578: Unused '@ts-expect-error' directive/);
  expect(errors[1]).toMatch(/canary\.types\.ts\(8,\d+\): error TS2344/);
});

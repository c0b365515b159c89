// Every `x-codeSamples` entry of openapi.yaml, as written, against the sandbox (only the spec's
// origin becomes the sandbox's; the key comes from the environment the samples name), each on a
// freshly reset sandbox: the curl samples with the real curl, the TypeScript samples with the
// published `aethercdn/client` (the package's own export, `dist/`). Files a sample uploads
// (`-F "file=@example.jpg"`, `"./example.jpg"`) are made beside it. The samples are read from the
// spec at run time, so this follows whatever they say.
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sandboxContent } from "../../server/sandbox/content.js";
import { startSandbox, type RunningSandbox } from "../../server/sandbox/start.js";
import { contract, shell } from "../support/http.js";
import { REPO_ROOT, type OpenApiOracle } from "../support/openapi-oracle.js";

/** `node --import tsx file` in `cwd`; never rejects on the exit code. */
function runIn(cwd: string, file: string, env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ["--import", "tsx", file], { cwd, env, timeout: 150_000, encoding: "utf8", maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err && typeof err.code !== "number") return reject(err);
      resolve({ code: err ? (err.code as number) : 0, stdout, stderr });
    });
  });
}

interface Sample {
  operationId: string;
  lang: string;
  source: string;
}

let sandbox: RunningSandbox;
let oracle: OpenApiOracle;
let dir: string;
let samples: Sample[];
/** The origins the samples are written for (the spec's servers). */
let origins: string[];

beforeAll(async () => {
  oracle = await contract();
  sandbox = await startSandbox({ env: { SANDBOX_PORT: "0", LOG_LEVEL: "silent" } });
  await mkdir(path.join(REPO_ROOT, ".tmp"), { recursive: true });
  // Inside the package, so that `aethercdn/client` resolves to the package's own export.
  dir = await mkdtemp(path.join(REPO_ROOT, ".tmp", "samples-"));
  samples = oracle.operations().flatMap((op) =>
    ((op.operation["x-codeSamples"] as { lang: string; source: string }[] | undefined) ?? []).map((s) => ({ operationId: op.operationId ?? "", lang: s.lang, source: s.source })),
  );
  const servers = Array.isArray(oracle.raw.servers) ? (oracle.raw.servers as { url: string }[]) : [];
  origins = servers.map((s) => s.url.replace(/\/+$/, ""));
  expect(origins.length).toBeGreaterThan(0);
});
afterAll(async () => {
  await sandbox?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const MIME: Record<string, string> = { jpg: "image/jpeg", jpeg: "image/jpeg", png: "image/png", pdf: "application/pdf", json: "application/json" };

/** Creates the local files a sample refers to, in `dir`. */
async function makeFiles(source: string): Promise<void> {
  const names = [...source.matchAll(/file=@([\w.-]+)|"\.\/([\w.-]+)"/g)].map((m) => m[1] ?? m[2]!);
  for (const name of names) {
    const type = MIME[name.split(".").pop()!.toLowerCase()] ?? "text/plain";
    await writeFile(path.join(dir, name), Buffer.concat([...sandboxContent({ name, mimeType: type, size: 4096 })]));
  }
}

/** The sample pointed at the sandbox. */
function pointed(source: string): string {
  let out = source;
  for (const origin of origins) out = out.replaceAll(origin, sandbox.baseUrl);
  return out;
}

const env = () => ({ ...process.env, AETHER_API_KEY: sandbox.keys.full, AETHER_BASE_URL: sandbox.baseUrl, YOUR_API_KEY: sandbox.keys.full });

describe("every x-codeSamples entry works against the sandbox as written", () => {
  it("there are curl and TypeScript samples for every operation", () => {
    for (const op of oracle.operations()) {
      const langs = samples.filter((s) => s.operationId === op.operationId).map((s) => s.lang);
      expect(langs, op.operationId).toEqual(expect.arrayContaining(["Shell", "TypeScript"]));
    }
  });

  it("curl", { timeout: 120_000 }, async () => {
    const shellSamples = samples.filter((s) => s.lang === "Shell");
    for (const sample of shellSamples) {
      await sandbox.reset();
      await makeFiles(sample.source);
      const line = pointed(sample.source);
      const label = `${sample.operationId}: ${line}`;
      expect(line.includes(sandbox.baseUrl) || line.includes("$AETHER_BASE_URL"), label).toBe(true);
      const res = await shell(line, { cwd: dir, env: env() });
      expect(res.code, `${label}\n${res.stderr}`).toBe(0);
      const output = /-o\s+(\S+)/.exec(line)?.[1];
      if (/\s-I\s/.test(line)) {
        expect(res.stdout, label).toMatch(/^HTTP\/1\.1 200 /);
      } else if (output) {
        // The download sample writes the file: the bytes of a seeded file, not an error envelope.
        const id = /\/files\/([^/]+)\/download/.exec(line)?.[1];
        const { size } = await stat(path.join(dir, output));
        const file = sandbox.plan.files.find((f) => f.id === id);
        expect(file, label).toBeDefined();
        expect(size, label).toBe(file!.size);
      } else {
        const body = JSON.parse(res.stdout) as { success?: boolean };
        expect(body.success, `${label}\n${res.stdout}`).toBe(true);
      }
    }
    expect(shellSamples.length).toBe(oracle.operations().length);
  });

  it("TypeScript (aethercdn/client)", { timeout: 180_000 }, async () => {
    const tsSamples = samples.filter((s) => s.lang === "TypeScript");
    // All samples in one module (one Node start-up): their imports merged at the top, each body
    // in a block of its own run on a freshly reset sandbox, each failure recorded.
    const imports = new Map<string, Set<string>>();
    const blocks: string[] = [];
    for (const [i, sample] of tsSamples.entries()) {
      await makeFiles(sample.source);
      const body: string[] = [];
      for (const line of pointed(sample.source).split("\n")) {
        const m = /^import \{([^}]+)\} from "([^"]+)";$/.exec(line.trim());
        if (m) {
          const names = imports.get(m[2]!) ?? new Set<string>();
          for (const n of m[1]!.split(",")) names.add(n.trim());
          imports.set(m[2]!, names);
        } else body.push(line);
      }
      // Raw openapi-fetch calls do not throw: check what they return.
      const checks: string[] = [];
      const raw = /const \{([^}]+)\} = await \w+\.(?:GET|HEAD|POST|PATCH|DELETE|PUT)\(/.exec(sample.source);
      if (raw?.[1]?.includes("response")) checks.push('if (!response.ok) throw new Error(`HTTP ${response.status}`);');
      if (raw?.[1]?.split(",").map((s) => s.trim()).includes("data")) checks.push('if (data === undefined) throw new Error("no data");');
      blocks.push(`await reset();
try {
  await (async () => {
${body.join("\n")}
${checks.join("\n")}
  })();
  results.push({ i: ${i}, ok: true });
} catch (err) {
  results.push({ i: ${i}, ok: false, error: String(err) });
}`);
    }
    const module = `${[...imports].map(([from, names]) => `import { ${[...names].join(", ")} } from "${from}";`).join("\n")}
const results: { i: number; ok: boolean; error?: string }[] = [];
const reset = async () => {
  const res = await fetch(${JSON.stringify(`${sandbox.baseUrl}/__sandbox/reset`)}, { method: "POST" });
  if (!res.ok) throw new Error("reset failed");
};
${blocks.join("\n")}
console.log(JSON.stringify(results));
`;
    const file = path.join(dir, "samples.mts");
    await writeFile(file, module);
    const result = await runIn(dir, file, env());
    expect(result.code, `${result.stderr}\n${await readFile(file, "utf8")}`).toBe(0);
    const results = JSON.parse(result.stdout.trim().split("\n").pop()!) as { i: number; ok: boolean; error?: string }[];
    const failed = results.filter((r) => !r.ok).map((r) => `${tsSamples[r.i]!.operationId}: ${r.error}`);
    expect(failed).toEqual([]);
    expect(results.length).toBe(tsSamples.length);
  });
});

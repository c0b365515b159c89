#!/usr/bin/env node
// Generates generated/openapi.ts from openapi.yaml with openapi-typescript's Node API.
//
//   npm run generate                 write generated/openapi.ts
//   node scripts/generate.js --check exit 1 when generated/ is stale (nothing is written)
//
// Notes
// - `format: binary` schemas become `Blob` (`Blob | null` when nullable), through `transform`.
// - openapi-typescript lints the document with its own (older, 1.x) Redocly core before generating.
//   Through the Node API it uses its built-in "minimal" ruleset, NOT redocly.yaml, so the
//   project's lint rules (enforced by `npm run lint:spec` and tests/spec/lint.test.ts) cannot
//   abort generation here; a structurally broken document still does.
// - Output is deterministic: no timestamps, no absolute paths. Never run a formatter over it.
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import openapiTS, { astToString, NULL } from "openapi-typescript";
import ts from "typescript";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const specPath = path.join(root, "openapi.yaml");
const outPath = path.join(root, "generated", "openapi.ts");
const rel = (p) => path.relative(root, p);

export const HEADER =
  "// This file is generated from openapi.yaml by `npm run generate`. Do not edit.\n\n";

const BLOB = ts.factory.createTypeReferenceNode(ts.factory.createIdentifier("Blob"));

/** @param {Record<string, unknown>} schema */
function isNullable(schema) {
  return (
    schema.nullable === true ||
    (Array.isArray(schema.type) && schema.type.includes("null"))
  );
}

/** Render generated/openapi.ts for the current openapi.yaml, as a string. */
export async function render() {
  const ast = await openapiTS(pathToFileURL(specPath), {
    silent: true,
    cwd: pathToFileURL(root + path.sep),
    transform(schema) {
      if (schema && typeof schema === "object" && schema.format === "binary") {
        return isNullable(schema) ? ts.factory.createUnionTypeNode([BLOB, NULL]) : BLOB;
      }
      return undefined;
    },
  });
  return HEADER + astToString(ast);
}

async function main() {
  const check = process.argv.includes("--check");
  const unknown = process.argv.slice(2).filter((a) => a !== "--check");
  if (unknown.length) {
    console.error(`generate: unknown argument(s): ${unknown.join(" ")} (usage: generate.js [--check])`);
    process.exit(2);
  }
  const next = Buffer.from(await render(), "utf8");
  let current = null;
  try {
    current = await readFile(outPath);
  } catch (err) {
    if (err.code !== "ENOENT") throw err;
  }
  if (check) {
    if (current === null) {
      console.error(`generate --check: ${rel(outPath)} is missing. Run \`npm run generate\` and commit the result.`);
      process.exit(1);
    }
    if (!current.equals(next)) {
      console.error(`generate --check: ${rel(outPath)} is stale (it differs from what openapi.yaml generates). Run \`npm run generate\` and commit the result.`);
      process.exit(1);
    }
    console.log(`generate --check: ${rel(outPath)} is up to date.`);
    return;
  }
  if (current !== null && current.equals(next)) {
    console.log(`generate: ${rel(outPath)} already up to date.`);
    return;
  }
  await mkdir(path.dirname(outPath), { recursive: true });
  await writeFile(outPath, next);
  console.log(`generate: wrote ${rel(outPath)} (${next.length} bytes).`);
}

main().catch((err) => {
  console.error(`generate: failed: ${err && err.stack ? err.stack : err}`);
  process.exit(1);
});

#!/usr/bin/env node
// Builds the static documentation folder docs/ from openapi.yaml with Redocly CLI.
//
//   npm run docs                        write docs/
//   node scripts/build-docs.js --check  exit 1 when docs/ is stale (nothing is written)
//   node scripts/build-docs.js --out DIR build into DIR instead of docs/ (used by the determinism test)
//
// docs/ is publishable as-is (GitHub Pages or any static host) and holds exactly:
//   index.html     Redoc page, self-contained (--inlineBundle): no CDN script, no CDN logo
//   openapi.yaml   `redocly bundle openapi.yaml` (single file)
//   openapi.json   the same document as pretty JSON (2 spaces, trailing newline)
//   .nojekyll      empty; stops GitHub Pages from running Jekyll
//
// Redocly runs with REDOCLY_TELEMETRY=off (this also writes `"disableTelemetry":true` into the
// page's Redoc options, so readers' browsers send nothing) and REDOCLY_SUPPRESS_UPDATE_NOTICE=true.
//
// Normalisation applied to index.html (checked, fails loudly if Redocly changes):
// - The Redoc bundle renders an "API docs by Redocly" attribution whose <img> loads
//   https://cdn.redoc.ly/redoc/logo-mini{,-full}.svg at run time. Both URLs are replaced by
//   small inline data: SVGs (text "Redocly"), so the page makes no network request.
// - Redoc lets inline code break anywhere (`word-break: break-word`), so the narrow code column
//   of a description's table (the Errors table) showed `unauthorize d`. A rule added to the page's
//   own <style> keeps code in those tables (`table.md`) on one line; tests/spec/docs-browser.test.ts
//   checks in Chromium that no table code wraps at 1400 px.
// Redocly 2.77's output is otherwise byte-for-byte repeatable (no timestamps, no random ids);
// the build is run twice by the check in tests/spec/fresh.test.ts.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import YAML from "yaml";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const docsDir = path.join(root, "docs");
const specPath = path.join(root, "openapi.yaml");
const configPath = path.join(root, "redocly.yaml");
const redoclyBin = path.join(root, "node_modules", "@redocly", "cli", "bin", "cli.js");

export const TITLE = "AetherCDN Developer API";
export const OUTPUT_FILES = ["index.html", "openapi.yaml", "openapi.json", ".nojekyll"];

/** Hosts the built page must never contact (scripts, logos, telemetry). */
export const FORBIDDEN_RUNTIME_URLS = [
  "https://cdn.redoc.ly/redoc/logo-mini-full.svg",
  "https://cdn.redoc.ly/redoc/logo-mini.svg",
];

const svg = (w, text) =>
  "data:image/svg+xml;base64," +
  Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="20" viewBox="0 0 ${w} 20">` +
      `<text x="0" y="15" font-family="sans-serif" font-size="14" font-weight="600" fill="#6b7280">${text}</text></svg>`,
  ).toString("base64");

/** The page template's own <style> block, and what it becomes. */
const PAGE_STYLE = `  <style>
    body {
      padding: 0;
      margin: 0;
    }
  </style>`;
const PAGE_STYLE_PATCHED = `  <style>
    body {
      padding: 0;
      margin: 0;
    }
    table.md code {
      white-space: nowrap;
      word-break: keep-all;
      overflow-wrap: normal;
    }
  </style>`;

const LOGO_REPLACEMENTS = [
  ["https://cdn.redoc.ly/redoc/logo-mini-full.svg", svg(64, "Redocly")],
  ["https://cdn.redoc.ly/redoc/logo-mini.svg", svg(20, "R")],
];

const env = {
  ...process.env,
  REDOCLY_TELEMETRY: "off",
  REDOCLY_SUPPRESS_UPDATE_NOTICE: "true",
  NO_COLOR: "1",
};

function redocly(args) {
  const configArgs = existsSync(configPath) ? ["--config", configPath] : [];
  try {
    execFileSync(process.execPath, [redoclyBin, ...args, ...configArgs], {
      cwd: root,
      env,
      stdio: ["ignore", "pipe", "pipe"],
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (err) {
    const out = `${err.stdout ?? ""}\n${err.stderr ?? ""}`
      .split("\n")
      .filter((l) => !/[║╔╚]/.test(l))
      .join("\n")
      .trim();
    throw new Error(`redocly ${args[0]} failed (exit ${err.status}):\n${out}`);
  }
}

/** Patch and verify index.html; throws if the page could load anything from the network. */
export function normaliseIndexHtml(html) {
  let out = html;
  for (const [url, replacement] of LOGO_REPLACEMENTS) {
    if (!out.includes(url)) {
      throw new Error(`build-docs: expected the Redoc bundle to reference ${url}; Redocly changed, review the normalisation in scripts/build-docs.js`);
    }
    out = out.split(url).join(replacement);
  }
  if (!out.includes(PAGE_STYLE)) {
    throw new Error("build-docs: expected the page template's <style> block (body padding and margin); Redocly changed, review the normalisation in scripts/build-docs.js");
  }
  out = out.replace(PAGE_STYLE, PAGE_STYLE_PATCHED);
  const problems = auditIndexHtml(out);
  if (problems.length) throw new Error(`build-docs: index.html is not self-contained:\n- ${problems.join("\n- ")}`);
  return out;
}

/** Returns the reasons why the page is not self-contained / telemetry-free (empty = fine). */
export function auditIndexHtml(html) {
  const problems = [];
  for (const m of html.matchAll(/<(script|img|iframe|source|video|audio)\b[^>]*\bsrc\s*=\s*["']?\s*(https?:)?\/\//gi)) {
    problems.push(`remote ${m[1]} src: ${m[0]}`);
  }
  for (const m of html.matchAll(/<link\b[^>]*\bhref\s*=\s*["']?\s*(https?:)?\/\/[^>]*>/gi)) {
    problems.push(`remote link: ${m[0]}`);
  }
  for (const m of html.matchAll(/@import\s+(url\()?["']?(https?:)?\/\//gi)) problems.push(`remote CSS @import: ${m[0]}`);
  for (const m of html.matchAll(/url\(\s*["']?(https?:)?\/\/[^)]*\)/gi)) problems.push(`remote CSS url(): ${m[0]}`);
  for (const url of FORBIDDEN_RUNTIME_URLS) if (html.includes(url)) problems.push(`still references ${url}`);
  const options = html.match(/const __redoc_options = (\{.*?\});/);
  if (!options) problems.push("cannot find `const __redoc_options = {...};` to check telemetry");
  else if (!/"disableTelemetry":\s*true/.test(options[1])) problems.push(`telemetry not disabled: ${options[1]}`);
  if (!html.includes(`<title>${TITLE}</title>`)) problems.push(`title is not "${TITLE}"`);
  return problems;
}

/** Build every output file into memory: { name: Buffer }. */
export async function buildDocs() {
  const tmp = await mkdtemp(path.join(os.tmpdir(), "aethercdn-docs-"));
  try {
    const yamlOut = path.join(tmp, "openapi.yaml");
    const htmlOut = path.join(tmp, "index.html");
    redocly(["bundle", specPath, "-o", yamlOut]);
    redocly(["build-docs", specPath, "--inlineBundle", "--title", TITLE, "-o", htmlOut]);

    let yamlText = await readFile(yamlOut, "utf8");
    if (!yamlText.endsWith("\n")) yamlText += "\n";
    const doc = YAML.parse(yamlText);
    const jsonText = JSON.stringify(doc, null, 2) + "\n";
    const html = normaliseIndexHtml(await readFile(htmlOut, "utf8"));
    return {
      "index.html": Buffer.from(html, "utf8"),
      "openapi.yaml": Buffer.from(yamlText, "utf8"),
      "openapi.json": Buffer.from(jsonText, "utf8"),
      ".nojekyll": Buffer.alloc(0),
    };
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

async function readOrNull(p) {
  try {
    return await readFile(p);
  } catch (err) {
    if (err.code === "ENOENT") return null;
    throw err;
  }
}

function parseArgs(argv) {
  const opts = { check: false, out: docsDir };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--check") opts.check = true;
    else if (argv[i] === "--out" && argv[i + 1]) opts.out = path.resolve(argv[++i]);
    else {
      console.error(`build-docs: unknown argument ${argv[i]} (usage: build-docs.js [--check] [--out DIR])`);
      process.exit(2);
    }
  }
  return opts;
}

async function main() {
  const { check, out: docsDir } = parseArgs(process.argv.slice(2));
  const shown = path.relative(root, docsDir) || ".";
  const files = await buildDocs();
  const existing = existsSync(docsDir) ? await readdir(docsDir) : [];
  const extra = existing.filter((n) => !OUTPUT_FILES.includes(n));

  if (check) {
    const stale = [];
    for (const [name, bytes] of Object.entries(files)) {
      const cur = await readOrNull(path.join(docsDir, name));
      if (cur === null) stale.push(`${shown}/${name} is missing`);
      else if (!cur.equals(bytes)) stale.push(`${shown}/${name} differs from what openapi.yaml builds`);
    }
    for (const n of extra) stale.push(`${shown}/${n} is not produced by the build (${shown}/ must hold only ${OUTPUT_FILES.join(", ")})`);
    if (stale.length) {
      console.error(`build-docs --check: ${shown}/ is stale:\n- ${stale.join("\n- ")}\nRun \`npm run docs\` and commit the result.`);
      process.exit(1);
    }
    console.log(`build-docs --check: ${shown}/ is up to date.`);
    return;
  }

  await mkdir(docsDir, { recursive: true });
  for (const [name, bytes] of Object.entries(files)) {
    const p = path.join(docsDir, name);
    const cur = await readOrNull(p);
    if (cur === null || !cur.equals(bytes)) await writeFile(p, bytes);
  }
  for (const n of extra) console.warn(`build-docs: warning: ${shown}/${n} is not produced by the build; remove it.`);
  const kib = (files["index.html"].length / 1024).toFixed(0);
  console.log(`build-docs: wrote ${shown}/index.html (${kib} KiB), ${shown}/openapi.yaml, ${shown}/openapi.json, ${shown}/.nojekyll.`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err) => {
    console.error(err && err.message ? err.message : err);
    process.exit(1);
  });
}

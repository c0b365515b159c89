#!/usr/bin/env node
// The package.json that goes into the tarball carries no `prepare` script.
//
// In the checkout, `prepare` builds dist/ on `npm install` / `npm ci` (the server then starts from
// compiled JavaScript). In a project that installs the tarball it has no use (dist/ is in the
// tarball, and npm never runs `prepare` for a tarball), but npm 11 lists it as an install script
// "not yet covered by allowScripts" on every such install. So `npm pack` / `npm publish` run:
//   prepack:  npm run build && node scripts/pack-manifest.js strip    (build, then drop `prepare`)
//   (pack)    npm reads package.json from disk here
//   postpack: node scripts/pack-manifest.js restore                   (the file as it was, byte for byte)
// A pack that failed before postpack leaves the original in .tmp/; the next `strip` or `restore`
// puts it back first (unless package.json has its `prepare` again: then the copy is stale).
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const manifest = path.join(root, "package.json");
const saved = path.join(root, ".tmp", "package.json.before-pack");

function restore() {
  if (!existsSync(saved)) return;
  if (JSON.parse(readFileSync(manifest, "utf8")).scripts?.prepare) rmSync(saved);
  else renameSync(saved, manifest);
}

const command = process.argv[2];
if (command === "strip") {
  restore();
  const text = readFileSync(manifest, "utf8");
  const pkg = JSON.parse(text);
  mkdirSync(path.dirname(saved), { recursive: true });
  writeFileSync(saved, text);
  delete pkg.scripts.prepare;
  writeFileSync(manifest, `${JSON.stringify(pkg, null, 2)}\n`);
} else if (command === "restore") {
  restore();
} else {
  process.stderr.write("usage: node scripts/pack-manifest.js strip|restore\n");
  process.exit(2);
}

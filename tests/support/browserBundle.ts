/**
 * esbuild bundles for pages run in Chromium: an entry bundled for `platform: "browser"`, with every
 * Node builtin it imports recorded (and left external, so the page would fail to load it).
 */
import { builtinModules } from "node:module";
import path from "node:path";
import { build, type Plugin } from "esbuild";
import { REPO_ROOT } from "./openapi-oracle.js";

const BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

/** Bundles `entry` for the browser; `nodeImports` lists the Node builtins it reached. */
export async function bundleForBrowser(entry: string): Promise<{ code: string; nodeImports: string[] }> {
  const nodeImports: string[] = [];
  const detect: Plugin = {
    name: "detect-node-imports",
    setup(b) {
      b.onResolve({ filter: /.*/ }, (args) => {
        if (args.path.startsWith("node:") || BUILTINS.has(args.path)) {
          nodeImports.push(`${args.path} (from ${path.relative(REPO_ROOT, args.importer)})`);
          return { path: args.path, external: true };
        }
        return undefined;
      });
    },
  };
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: "esm",
    platform: "browser",
    target: "es2022",
    plugins: [detect],
    logLevel: "silent",
  });
  return { code: result.outputFiles[0]!.text, nodeImports };
}

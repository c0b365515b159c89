/** `aether files …`: list, upload, download, inspect and delete files through the API. */
import { createWriteStream } from "node:fs";
import { rename, rm, stat } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as NodeWebReadableStream } from "node:stream/web";
import { Command } from "commander";
import type { AetherFile } from "../node.js";
import { clientFor, out, printJson, progressBar, size, withApiOptions } from "./apiContext.js";
import { renderTable } from "./table.js";

function fileRows(files: readonly AetherFile[]) {
  return files.map((f) => ({
    id: f.id,
    name: f.name,
    size: size(f.size),
    type: f.mimeType,
    folder: f.folderId ?? "-",
    created: f.createdAt.replace("T", " ").slice(0, 19),
  }));
}

function describe(file: AetherFile): string {
  return [
    `id           ${file.id}`,
    `name         ${file.name}`,
    `size         ${size(file.size)} (${file.size} bytes)`,
    `type         ${file.mimeType}`,
    `folder       ${file.folderId ?? "-"}`,
    `description  ${file.description ?? "-"}`,
    `tags         ${file.tags.join(", ") || "-"}`,
    `sha256       ${file.sha256}`,
    `created      ${file.createdAt}`,
    `updated      ${file.updatedAt}`,
    `url          ${file.url}`,
  ].join("\n");
}

/** A safe local name for a server-supplied file name. */
function localName(name: string | undefined, id: string): string {
  const base = basename((name ?? "").replace(/\\/g, "/")).replace(/[\u0000-\u001f]/g, "");
  return base && base !== "." && base !== ".." ? base : id;
}

/** The `files` command group. */
export function filesCommand(): Command {
  const files = withApiOptions(new Command("files").description("files in your account"));

  files
    .command("ls")
    .description("list files, newest first")
    .option("--folder <id>", "only files in this folder")
    .action(async (opts: { folder?: string }, command: Command) => {
      const { client, options } = clientFor(command);
      const all: AetherFile[] = [];
      for await (const file of client.iterateFiles(opts.folder ? { folderId: opts.folder } : {})) all.push(file);
      if (options.json) return printJson(all);
      if (all.length === 0) return out("No files.");
      out(renderTable(fileRows(all), ["id", "name", "size", "type", "folder", "created"]));
    });

  files
    .command("upload")
    .description("upload one or more files")
    .argument("<paths...>")
    .option("--folder <id>", "target folder")
    .option("--tags <list>", "comma-separated tags")
    .option("--description <text>", "description")
    .action(async (paths: string[], opts: { folder?: string; tags?: string; description?: string }, command: Command) => {
      const { client, options } = clientFor(command);
      const uploaded: AetherFile[] = [];
      for (const path of paths) {
        const { size: total } = await stat(path);
        const bar = progressBar(basename(path), total, options.json);
        try {
          const file = await client.uploadFile({
            file: path,
            ...(opts.folder !== undefined && { folderId: opts.folder }),
            ...(opts.description !== undefined && { description: opts.description }),
            ...(opts.tags !== undefined && { tags: opts.tags.split(",") }),
            ...(bar.onProgress && { onProgress: bar.onProgress }),
          });
          uploaded.push(file);
        } finally {
          bar.stop();
        }
        if (!options.json) out(`${uploaded.at(-1)?.id}  ${path}  ${size(total)}`);
      }
      if (options.json) printJson(uploaded);
    });

  files
    .command("download")
    .description("download a file (to its own name in the current directory unless -o is given; -o DIR into a directory; -o - for stdout)")
    .argument("<id>")
    .option("-o, --output <path>", "where to write it (a file, a directory, or - for stdout)")
    .option("-f, --force", "replace an existing file named after the download (a -o PATH file is always replaced)")
    .action(async (id: string, opts: { output?: string; force?: boolean }, command: Command) => {
      const { client, options } = clientFor(command);
      const toStdout = opts.output === "-";
      const download = await client.downloadFile(id, {});
      // `-o DIR` (an existing directory) means "into DIR, under the file's own name".
      const outputIsDir = opts.output !== undefined && !toStdout && (await stat(opts.output).catch(() => undefined))?.isDirectory() === true;
      const target = toStdout
        ? undefined
        : outputIsDir
          ? join(opts.output!, localName(download.name, id))
          : (opts.output ?? localName(download.name, id));
      const namedByServer = target !== undefined && (opts.output === undefined || outputIsDir);
      if (namedByServer && !opts.force && (await stat(target).catch(() => undefined))) {
        await download.body.cancel();
        throw new Error(`${target} already exists: pass --force to replace it, or -o PATH`);
      }
      const bar = progressBar(target ?? id, download.size, options.json || toStdout);
      const source = Readable.fromWeb(download.body as unknown as NodeWebReadableStream<Uint8Array>);
      let loaded = 0;
      source.on("data", (chunk: Buffer) => {
        loaded += chunk.length;
        bar.onProgress?.({ loaded, total: download.size });
      });
      try {
        if (!target) {
          await pipeline(source, process.stdout);
          return;
        }
        const temp = join(dirname(target), `.${basename(target)}.${process.pid}.part`);
        try {
          await pipeline(source, createWriteStream(temp));
          await rename(temp, target);
        } catch (err) {
          await rm(temp, { force: true });
          throw err;
        }
      } finally {
        bar.stop();
      }
      if (options.json) printJson({ id, path: target, name: download.name, size: download.size, type: download.type });
      else out(`${target}  ${size(download.size ?? loaded)}`);
    });

  files
    .command("info")
    .description("show a file's metadata")
    .argument("<id>")
    .action(async (id: string, _opts: unknown, command: Command) => {
      const { client, options } = clientFor(command);
      const file = await client.getFile(id);
      if (options.json) printJson(file);
      else out(describe(file));
    });

  files
    .command("rm")
    .description("delete a file")
    .argument("<id>")
    .action(async (id: string, _opts: unknown, command: Command) => {
      const { client, options } = clientFor(command);
      await client.deleteFile(id);
      if (options.json) printJson({ deleted: id });
      else out(`Deleted ${id}.`);
    });
  return files;
}

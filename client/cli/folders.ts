/** `aether folders …` and `aether stats`. */
import { Command } from "commander";
import { clientFor, out, printJson, withApiOptions } from "./apiContext.js";
import { renderTable } from "./table.js";

/** The `folders` command group. */
export function foldersCommand(): Command {
  const folders = withApiOptions(new Command("folders").description("folders in your account"));

  folders
    .command("ls")
    .description("list folders")
    .action(async (_opts: unknown, command: Command) => {
      const { client, options } = clientFor(command);
      const list = await client.listFolders();
      if (options.json) return printJson(list);
      if (list.length === 0) return out("No folders.");
      out(
        renderTable(
          list.map((f) => ({ id: f.id, name: f.name, parent: f.parentId ?? "-", created: f.createdAt.replace("T", " ").slice(0, 19) })),
          ["id", "name", "parent", "created"],
        ),
      );
    });

  folders
    .command("create")
    .description("create a folder")
    .argument("<name>")
    .option("--parent <id>", "parent folder")
    .action(async (name: string, opts: { parent?: string }, command: Command) => {
      const { client, options } = clientFor(command);
      const folder = await client.createFolder({ name, ...(opts.parent !== undefined && { parentId: opts.parent }) });
      if (options.json) printJson(folder);
      else out(`${folder.id}  ${folder.name}`);
    });

  folders
    .command("rm")
    .description("delete an empty folder")
    .argument("<id>")
    .action(async (id: string, _opts: unknown, command: Command) => {
      const { client, options } = clientFor(command);
      await client.deleteFolder(id);
      if (options.json) printJson({ deleted: id });
      else out(`Deleted ${id}.`);
    });
  return folders;
}

/** The `stats` command. */
export function statsCommand(): Command {
  return withApiOptions(new Command("stats").description("account statistics")).action(async (_opts: unknown, command: Command) => {
    const { client, options } = clientFor(command);
    const stats = await client.getUserStats();
    if (options.json) return printJson(stats);
    out(
      [
        `files       ${stats.totalFiles}`,
        `folders     ${stats.totalFolders}`,
        `storage     ${stats.storageUsed} (${stats.totalSize} bytes)`,
        `bandwidth   ${stats.bandwidthUsed} (${stats.bandwidthUsedBytes} bytes)`,
      ].join("\n"),
    );
  });
}

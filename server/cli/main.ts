#!/usr/bin/env node
/** The `aether` command line: `keys` works on the data dir; `files`, `folders`, `stats` use the API. */
import { Command } from "commander";
import { AetherApiError } from "../../client/node.js";
import { isStorageError } from "../storage/index.js";
import { filesCommand } from "./files.js";
import { foldersCommand, statsCommand } from "./folders.js";
import { keysCommand } from "./keys.js";

const program = new Command("aether")
  .description("AetherCDN toolkit command line")
  .showHelpAfterError()
  .addCommand(keysCommand())
  .addCommand(filesCommand())
  .addCommand(foldersCommand())
  .addCommand(statsCommand());

function describeFailure(err: unknown): string {
  if (err instanceof AetherApiError) {
    return `${err.message} (${err.code}, HTTP ${err.status}${err.requestId ? `, request ${err.requestId}` : ""})`;
  }
  if (isStorageError(err)) return err.message;
  if (err instanceof Error) return err.cause instanceof Error ? `${err.message} (${err.cause.message})` : err.message;
  return String(err);
}

program.parseAsync(process.argv).catch((err: unknown) => {
  process.stderr.write(`aether: ${describeFailure(err)}\n`);
  process.exit(1);
});

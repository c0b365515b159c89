#!/usr/bin/env node
/** The `aether` command line: `keys` and `migrate` work on the data dir; `files`, `folders`, `stats` use the API. */
import { Command } from "commander";
import { AetherApiError, AetherNetworkError } from "../../client/node.js";
import { causeChain } from "../../client/errors.js";
import { ConfigError } from "../config.js";
import { isStorageError } from "../storage/errors.js";
import { filesCommand } from "./files.js";
import { foldersCommand, statsCommand } from "./folders.js";
import { keysCommand } from "./keys.js";
import { migrateCommand } from "./migrate.js";

const program = new Command("aether")
  .description("AetherCDN toolkit command line")
  .showHelpAfterError()
  .addCommand(keysCommand())
  .addCommand(migrateCommand())
  .addCommand(filesCommand())
  .addCommand(foldersCommand())
  .addCommand(statsCommand());

function describeFailure(err: unknown): string {
  if (err instanceof AetherApiError) {
    return `${err.message} (${err.code}, HTTP ${err.status}${err.requestId ? `, request ${err.requestId}` : ""})`;
  }
  if (isStorageError(err) || err instanceof ConfigError) return err.message;
  // The network error's message already names the root cause (e.g. connect ECONNREFUSED …).
  if (err instanceof AetherNetworkError) return err.message;
  if (err instanceof Error) return causeChain(err);
  return String(err);
}

program.parseAsync(process.argv).catch((err: unknown) => {
  process.stderr.write(`aether: ${describeFailure(err)}\n`);
  process.exit(1);
});

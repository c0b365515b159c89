#!/usr/bin/env node
/** The `aether` command line. */
import { Command } from "commander";
import { isStorageError } from "../storage/index.js";
import { keysCommand } from "./keys.js";

const program = new Command("aether")
  .description("AetherCDN toolkit command line")
  .showHelpAfterError()
  .addCommand(keysCommand());

program.parseAsync(process.argv).catch((err: unknown) => {
  const message = isStorageError(err) ? err.message : err instanceof Error ? err.message : String(err);
  process.stderr.write(`aether: ${message}\n`);
  process.exit(1);
});

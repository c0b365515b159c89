#!/usr/bin/env node
/**
 * `aether-server`, the operator's command line of the reference server, run from its checkout:
 * `npm run keys -- create|list|revoke …` and `npm run migrate -- …` (= `node dist/server/cli/main.js …`).
 * It works on the server's storage (DATA_DIR, DATABASE_URL, S3), so it is not part of the
 * published package; the `aether` command for API users is client/cli/.
 */
import { Command } from "commander";
import { causeChain } from "../../client/errors.js";
import { ConfigError } from "../config.js";
import { isStorageError } from "../storage/errors.js";
import { keysCommand } from "./keys.js";
import { migrateCommand } from "./migrate.js";

const program = new Command("aether-server")
  .description("AetherCDN reference server: operator commands (run in the server's checkout)")
  .showHelpAfterError()
  .addCommand(keysCommand())
  .addCommand(migrateCommand());

function describeFailure(err: unknown): string {
  if (isStorageError(err) || err instanceof ConfigError) return err.message;
  if (err instanceof Error) return causeChain(err);
  return String(err);
}

program.parseAsync(process.argv).catch((err: unknown) => {
  process.stderr.write(`aether-server: ${describeFailure(err)}\n`);
  process.exit(1);
});

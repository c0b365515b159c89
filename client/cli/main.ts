#!/usr/bin/env node
/**
 * The `aether` command line of the published package, for API users: `files`, `folders` and
 * `stats`, through the client (AETHER_BASE_URL + AETHER_API_KEY, or --base-url/--api-key).
 * Managing keys is the operator's job on the server's checkout: `npm run keys` (server/cli/).
 */
import { Command } from "commander";
import { AetherApiError, AetherNetworkError, causeChain } from "../errors.js";
import { filesCommand } from "./files.js";
import { foldersCommand, statsCommand } from "./folders.js";

const program = new Command("aether")
  .description("AetherCDN command line: your files and folders through the API")
  .showHelpAfterError()
  .addCommand(filesCommand())
  .addCommand(foldersCommand())
  .addCommand(statsCommand())
  .addHelpText("after", "\nAPI keys are issued by the server's operator (`npm run keys` in the server's checkout).");

function describeFailure(err: unknown): string {
  if (err instanceof AetherApiError) {
    return `${err.message} (${err.code}, HTTP ${err.status}${err.requestId ? `, request ${err.requestId}` : ""})`;
  }
  // The network error's message already names the root cause (e.g. connect ECONNREFUSED …).
  if (err instanceof AetherNetworkError) return err.message;
  if (err instanceof Error) return causeChain(err);
  return String(err);
}

program.parseAsync(process.argv).catch((err: unknown) => {
  process.stderr.write(`aether: ${describeFailure(err)}\n`);
  process.exit(1);
});

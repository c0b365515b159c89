/**
 * `npm run keys -- …` (`aether-server keys …`): API key management straight on the data dir (`DATA_DIR`, default ./data),
 * safe while the server runs (SQLite WAL with a busy timeout). A dir without a database is an
 * error, never a new empty database whose keys no server would see.
 */
import { Command, InvalidArgumentError } from "commander";
import { SCOPES, isScope, issueApiKey, type Scope } from "../auth/apiKeys.js";
import { openEmbeddedStorage, type MetadataStore } from "../storage/index.js";
import { renderTable } from "../../client/cli/table.js";

function parseScopes(value: string): Scope[] {
  const scopes = value.split(",").map((s) => s.trim()).filter(Boolean);
  const unknown = scopes.filter((s) => !isScope(s));
  if (unknown.length > 0 || scopes.length === 0) {
    throw new InvalidArgumentError(`scopes must be a comma list of ${SCOPES.join(", ")}`);
  }
  return scopes as Scope[];
}

/** Opens the data dir, or PostgreSQL when `DATABASE_URL` is set (its driver loads only then). */
async function withStorage<T>(dataDir: string, work: (metadata: MetadataStore) => Promise<T>): Promise<T> {
  const url = process.env.DATABASE_URL?.trim();
  const metadata: MetadataStore = url
    ? await (await import("../storage/postgres/index.js")).openPostgresStorage(url, { poolMax: 2 })
    : (await openEmbeddedStorage(dataDir, { create: false })).metadata;
  try {
    return await work(metadata);
  } finally {
    await metadata.close();
  }
}

/** The `keys` command group. */
export function keysCommand(): Command {
  const keys = new Command("keys").description("manage API keys in the server's data dir, or in PostgreSQL when DATABASE_URL is set");
  keys.option("--data-dir <dir>", "data directory (env DATA_DIR)", process.env.DATA_DIR?.trim() || "./data");

  keys
    .command("create")
    .description("create a key; the key itself is printed alone on the last line")
    .requiredOption("--user <name>", "owner (created if it does not exist)")
    .option("--scopes <list>", `comma list of ${SCOPES.join(", ")}`, parseScopes, [...SCOPES])
    .option("--label <text>", "a note to recognise the key by")
    .action(async (opts: { user: string; scopes: Scope[]; label?: string }) => {
      await withStorage(keys.opts<{ dataDir: string }>().dataDir, async (metadata) => {
        const user = (await metadata.getUserByName(opts.user)) ?? (await metadata.createUser(opts.user));
        const { record, secret } = await issueApiKey(metadata, user.id, opts.scopes, opts.label ?? null);
        process.stdout.write(`Created ${record.id} for user ${user.name} with scopes ${record.scopes.join(",")}.\n`);
        process.stdout.write("The key is shown only once:\n");
        process.stdout.write(`${secret}\n`);
      });
    });

  keys
    .command("list")
    .description("list keys (never the secrets)")
    .option("--json", "print JSON")
    .action(async (opts: { json?: boolean }) => {
      await withStorage(keys.opts<{ dataDir: string }>().dataDir, async (metadata) => {
        const records = await metadata.listApiKeys();
        const users = new Map<string, string>();
        for (const r of records) {
          if (!users.has(r.userId)) users.set(r.userId, (await metadata.getUser(r.userId))?.name ?? r.userId);
        }
        const rows = records.map((r) => ({
          id: r.id,
          user: users.get(r.userId) ?? r.userId,
          prefix: `${r.prefix}…`,
          scopes: r.scopes.join(","),
          status: r.revokedAt ? `revoked ${r.revokedAt}` : "active",
          lastUsed: r.lastUsedAt ?? "never",
          label: r.label ?? "",
        }));
        if (opts.json) {
          process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
        } else if (rows.length === 0) {
          process.stdout.write("No keys.\n");
        } else {
          process.stdout.write(`${renderTable(rows, ["id", "user", "prefix", "scopes", "status", "lastUsed", "label"])}\n`);
        }
      });
    });

  keys
    .command("revoke")
    .description("revoke a key by its id (key_…); it stops working at once")
    .argument("<keyId>")
    .action(async (keyId: string) => {
      await withStorage(keys.opts<{ dataDir: string }>().dataDir, async (metadata) => {
        const record = await metadata.revokeApiKey(keyId);
        process.stdout.write(`Revoked ${record.id} (${record.prefix}…).\n`);
      });
    });
  return keys;
}

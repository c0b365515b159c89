/**
 * Who the sandbox seeds: two users with fixed ids and fixed API keys (the same on every start, so
 * a frontend's `.env` keeps working; stored hashed like any key). The main user `demo` holds what
 * the spec's examples show; the second tenant `other` has data of its own, so that tenant isolation
 * (another user's id answers 404) can be tried.
 */
import { SCOPES, type Scope } from "../auth/apiKeys.js";
import type { SeedPlan } from "./seedPlan.js";

/** The sandbox's API keys (README lists them). */
export const SANDBOX_KEYS = {
  /** User `demo`, every scope (`files:read`, `files:write`, `user:read`). */
  full: "ak_SandboxAllScopes0000000000000000",
  /** User `demo`, `files:read` only: writes answer 403, statistics 403. */
  readOnly: "ak_SandboxReadOnly00000000000000000",
  /** User `other` (the second tenant), every scope. */
  secondTenant: "ak_SandboxSecondTenant0000000000000",
  /** User `demo`, revoked: answers 401 like an unknown key. */
  revoked: "ak_SandboxRevoked000000000000000000",
} as const;

/** A key to create. */
export interface SeedKey {
  id: string;
  secret: string;
  scopes: readonly Scope[];
  label: string;
  revoked: boolean;
}

/** One user and what it holds. */
export interface TenantSeed {
  user: { id: string; name: string };
  keys: SeedKey[];
  plan: SeedPlan;
}

/** When the users and keys were created. */
export const ACCOUNT_TIME = "2026-01-01T00:00:00.000Z";

/** The second tenant's own files and folder. */
export const SECOND_TENANT_PLAN: SeedPlan = {
  folders: [{ id: "fld_OtherTenantInvoices", name: "Invoices", parentId: null, createdAt: "2026-10-05T09:00:00.000Z", source: "second tenant" }],
  files: [
    {
      id: "file_OtherTenantInvoice001",
      name: "invoice-2026-001.pdf",
      size: 24_576,
      mimeType: "application/pdf",
      description: "October invoice",
      tags: ["invoices"],
      folderId: "fld_OtherTenantInvoices",
      createdAt: "2026-10-05T09:30:00.000Z",
      updatedAt: "2026-10-05T09:30:00.000Z",
      source: "second tenant",
    },
    {
      id: "file_OtherTenantNotes",
      name: "notes.txt",
      size: 1_200,
      mimeType: "text/plain",
      description: "The second tenant's notes",
      tags: [],
      folderId: null,
      createdAt: "2026-10-06T16:45:00.000Z",
      updatedAt: "2026-10-06T16:45:00.000Z",
      source: "second tenant",
    },
  ],
  bandwidthBytes: 0,
};

/** Most bytes of files a seed may hold (written at every start and reset). */
export const MAX_SEED_BYTES = 256 * 1024 * 1024;

/** Both tenants, the main one seeded with `mainPlan` (from the spec). */
export function sandboxTenants(mainPlan: SeedPlan): TenantSeed[] {
  const bytes = [...mainPlan.files, ...SECOND_TENANT_PLAN.files].reduce((n, f) => n + f.size, 0);
  if (bytes > MAX_SEED_BYTES) {
    throw new Error(`the spec's example files add up to ${bytes} bytes; the sandbox seeds at most ${MAX_SEED_BYTES} (256 MiB) at every start`);
  }
  const taken = new Set([...mainPlan.files, ...mainPlan.folders].map((e) => e.id));
  const clash = [...SECOND_TENANT_PLAN.files, ...SECOND_TENANT_PLAN.folders].find((e) => taken.has(e.id));
  if (clash) throw new Error(`the spec's examples use ${clash.id}, an id of the sandbox's second tenant: rename one of them`);
  return [
    {
      user: { id: "usr_SandboxDemo", name: "demo" },
      keys: [
        { id: "key_SandboxAllScopes", secret: SANDBOX_KEYS.full, scopes: SCOPES, label: "sandbox: every scope", revoked: false },
        { id: "key_SandboxReadOnly", secret: SANDBOX_KEYS.readOnly, scopes: ["files:read"], label: "sandbox: files:read only", revoked: false },
        { id: "key_SandboxRevoked", secret: SANDBOX_KEYS.revoked, scopes: SCOPES, label: "sandbox: revoked", revoked: true },
      ],
      plan: mainPlan,
    },
    {
      user: { id: "usr_SandboxOther", name: "other" },
      keys: [{ id: "key_SandboxSecondTenant", secret: SANDBOX_KEYS.secondTenant, scopes: SCOPES, label: "sandbox: second tenant", revoked: false }],
      plan: SECOND_TENANT_PLAN,
    },
  ];
}

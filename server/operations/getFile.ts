import type { OperationHandler } from "./types.js";
import { toApiFile } from "./representations.js";

/** GET /api/v1/files/{id} — one file's metadata. */
export const getFile: OperationHandler<"getFile"> = async ({ path, principal, ctx }) => {
  const file = await ctx.storage.metadata.getFile(principal.userId, path.id);
  return { status: 200, body: { success: true, file: toApiFile(file, ctx.config.publicUrl) } };
};

import { normalizeName } from "../format/fileName.js";
import type { OperationHandler } from "./types.js";
import { toApiFile } from "./representations.js";

/** PATCH /api/v1/files/{id} — rename, describe, tag or move a file. */
export const updateFile: OperationHandler<"updateFile"> = async ({ path, body, principal, ctx }) => {
  const file = await ctx.storage.metadata.updateFile(principal.userId, path.id, {
    ...(body.name !== undefined && { name: normalizeName(body.name) }),
    ...(body.description !== undefined && { description: body.description }),
    ...(body.tags !== undefined && { tags: body.tags }),
    ...(body.folderId !== undefined && { folderId: body.folderId }),
  });
  return { status: 200, body: { success: true, file: toApiFile(file, ctx.config.publicUrl) } };
};
